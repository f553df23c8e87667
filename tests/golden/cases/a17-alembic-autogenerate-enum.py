# Alembic autogenerate renders an Enum column's type with its name= and native_enum=False, as render._repr_type
import enum
from alembic.migration import MigrationContext
from alembic.autogenerate import produce_migrations, render_python_code
class Mood(enum.Enum):
    happy = 1
    sad = 2
class Ticket(Base):
    __tablename__ = "tickets"
    id = Column(Integer, primary_key=True)
    state = Column(Enum("open", "closed", name="ticket_state"))
    mood = Column(Enum(Mood))
    kind = Column(Enum("bug", "task", native_enum=False))
    level = Column(Enum("low", "high"))
conn = engine.connect()
mc = MigrationContext.configure(conn)
script = produce_migrations(mc, Base.metadata)
print(render_python_code(script.upgrade_ops))
conn.close()
