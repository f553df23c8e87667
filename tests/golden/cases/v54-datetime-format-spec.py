# a datetime or date in an f-string field with a format spec is formatted by strftime, as datetime.__format__
from datetime import datetime, date
dt = datetime(2024, 3, 5, 10, 30, 7)
print(f"{dt:%Y-%m}", f"{dt:%d/%m/%Y %H:%M}", f"{dt}", f"{dt:}")
d = date(2024, 1, 9)
print(f"{d:%A %d %B}", f"{d}", "{:%Y}".format(d))
s = Session(engine)
u = s.get(User, 1)
print(f"{u.name} joined {u.created_at:%Y}")
s.close()
