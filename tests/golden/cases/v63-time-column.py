# datetime.time values and the Time column type: SQLite stores '10:30:00.000000', PostgreSQL a time; both read back a datetime.time
import datetime
from datetime import time
t = time(10, 30)
print(repr(t), str(t), t.isoformat(), t.hour, t.minute, t.second, t.microsecond)
print(time.fromisoformat("07:05:09.250000"), t < time(11), t.strftime("%H.%M"))
class Alarm(Base):
    __tablename__ = "alarms"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime.time]
    until = mapped_column(Time)
Alarm.__table__.create(engine)
session.add(Alarm(at=t, until=time(23, 59, 58, 120)))
session.commit()
a = session.scalars(select(Alarm)).one()
print(repr(a.at), repr(a.until))
session.scalars(select(Alarm.id).where(Alarm.at < time(11))).all()
