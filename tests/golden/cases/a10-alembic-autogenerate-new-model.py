# Alembic autogenerate: the fixture's own models match the database; a new model becomes create_table and its indexes
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
conn = engine.connect()
mc = MigrationContext.configure(conn)
compare_metadata(mc, Base.metadata)
class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("label", "user_id", name="uq_tags_label_user"), Index("ix_tags_pair", "label", "user_id"))
    id = Column(Integer, primary_key=True)
    label = Column(String(30), nullable=False, index=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    score = Column(Numeric(10, 2), server_default="0")
    code = Column(String(8), unique=True)
diff = compare_metadata(mc, Base.metadata)
[d[0] for d in diff]
diff[1][1].name
script = produce_migrations(mc, Base.metadata)
print(render_python_code(script.upgrade_ops))
print(render_python_code(script.downgrade_ops))
conn.close()
