# datetime.timedelta: construction, normalisation, repr/str, arithmetic with datetime/date, errors, and a computed datetime bound in a query
from datetime import timedelta
import datetime as dt
week = timedelta(weeks=1, hours=1.5, milliseconds=250)
print(repr(week), str(week), week.days, week.seconds, week.microseconds)
print(repr(timedelta()), repr(timedelta(seconds=-1)), str(timedelta(seconds=-1)), repr(dt.timedelta(minutes=0.5, seconds=-29.5)))
print(timedelta(microseconds=2.5), timedelta(days=0.1), timedelta(1, 2, 3, 4, 5, 6, 7))
start = datetime(2024, 1, 15, 9, 30)
end = datetime(2024, 3, 1, 12, 0, 0, 500)
gap = end - start
print(gap, repr(start - end), gap.total_seconds(), type(gap))
print(start + timedelta(days=20), timedelta(hours=3) + start, start - timedelta(minutes=90), date(2024, 2, 28) + timedelta(days=2), date(2024, 3, 1) - date(2024, 1, 1))
d = timedelta(days=1, seconds=5)
print(d * 2, 3 * d, d * 1.5, d / 2, d / d, d // timedelta(hours=5), d // 3, d % timedelta(hours=5), -d, abs(-d), divmod(d, timedelta(hours=5)))
print(d == timedelta(seconds=86405), d != 1, d < timedelta(days=2), hash(d) == hash(timedelta(seconds=86405)), bool(timedelta(0)), sorted([timedelta(2), -d, timedelta(0)]))
print(timedelta.max, repr(timedelta.min), timedelta.resolution, isinstance(d, timedelta))
d + 1
d < 1
timedelta(days="1")
timedelta(days=999999999) + timedelta(days=1)
datetime(9999, 12, 31) + timedelta(days=1)
d / timedelta(0)
cutoff = datetime(2024, 3, 10, 12, 0) - timedelta(days=7)
session.scalars(select(Message).where(Message.created_at > cutoff).order_by(Message.id)).all()
session.scalars(select(Message.id).where(Message.created_at.between(datetime(2024, 8, 4) - timedelta(days=1), datetime(2024, 8, 4) + timedelta(hours=12)))).all()
[(u.name, u.created_at + timedelta(days=30)) for u in session.scalars(select(User).where(User.created_at < datetime(2024, 2, 1) + timedelta(weeks=1)))]
gap
[gap, timedelta(hours=-1), date(2024, 3, 1) - date(2024, 1, 1)]
