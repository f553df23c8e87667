"""The expectations of the compiler tests, recorded by real SQLAlchemy.

Run with SQLAlchemy 2.0.x installed (and psycopg2's dialect, which needs no
server), from the crate's root:

    python3 tests/sqlalchemy_checks.py            # print every case
    python3 tests/sqlalchemy_checks.py --write    # regenerate tests/compiler/*.json

Each named case is the exact SQL text (with its newlines) and the bound
parameters SQLAlchemy 2.0 compiles (or, for ORM queries, sends) for one
statement. `--write` stores them, one JSON object per case
(`name -> {"sql", "params"}`), in one file per dialect:

- `tests/compiler/sqlite.json`: `params` are the values in `positiontup`
  order (also recorded, as `positiontup`, when the statement was compiled
  rather than sent); `IN` lists are compiled with `render_postcompile`, as
  SQLAlchemy expands them when executing.
- `tests/compiler/default.json`: `str()` of an expression or statement (the
  default string dialect); `params` are `[name, value]` pairs.
- `tests/compiler/postgresql.json`: the psycopg2 dialect; `params` are
  `[name, value]` pairs in `compiled.params` order.

`src/sql/compiler/tests.rs` and `postgresql_tests.rs` read these files
(`include_str!`) by case name, so re-running `--write` against a newer
SQLAlchemy regenerates every expectation; `cargo test --release --lib sql::`
then shows what changed. Not run by cargo.

The models are the `chat` fixture's, copied here so this file stands alone.
"""
import json
import sys
from pathlib import Path
from datetime import datetime

from sqlalchemy import (Boolean, Column, DateTime, Float, ForeignKey, Integer,
                        MetaData, String, Table, Text, and_, create_engine,
                        desc, distinct, event, false, func, literal, not_,
                        or_, select, true)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, declarative_base, joinedload, relationship
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.selectable import LABEL_STYLE_TABLENAME_PLUS_COL

Base = declarative_base()
user_groups = Table(
    "user_groups", Base.metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id"), primary_key=True),
)


class Role(Base):
    __tablename__ = "roles"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True, nullable=False)
    users = relationship("User", back_populates="role")


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(255), unique=True, nullable=False)
    is_active = Column(Boolean, default=True)
    role_id = Column(Integer, ForeignKey("roles.id"))
    created_at = Column(DateTime, default=datetime.utcnow)
    role = relationship("Role", back_populates="users")
    profile = relationship("Profile", uselist=False, back_populates="user")
    messages = relationship("Message", back_populates="user")
    groups = relationship("Group", secondary=user_groups, back_populates="users")


class Profile(Base):
    __tablename__ = "profiles"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), unique=True, nullable=False)
    bio = Column(Text)
    user = relationship("User", back_populates="profile")


class Message(Base):
    __tablename__ = "messages"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), nullable=False)
    content = Column(String, nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
    user = relationship("User", back_populates="messages")


class Group(Base):
    __tablename__ = "groups"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True, nullable=False)
    users = relationship("User", secondary=user_groups, back_populates="groups")


# A table whose names need quoting.
other = MetaData()
select_t = Table("select", other, Column("Id", Integer, primary_key=True))
order = Table(
    "Order", other,
    Column("x", Integer, ForeignKey("select.Id")),
    Column("order", String(5), unique=True),
    Column("Id2", Integer, ForeignKey("select.Id"), unique=True),
    Column("f", Float),
    Column("t", Text, nullable=False),
)

D = sqlite.dialect()
ut, mt, rt, gt = User.__table__, Message.__table__, Role.__table__, Group.__table__


CASES = {"sqlite": {}, "default": {}, "postgresql": {}}
"""The recorded cases: dialect file -> case name -> {"sql", "params", ...}."""


def _value(v):
    """A parameter as JSON: None, int, float, str, or a list of them."""
    if isinstance(v, bool) or not isinstance(v, (type(None), int, float, str, list, tuple)):
        raise TypeError(f"parameter {v!r} has no JSON form the tests read")
    return [_value(x) for x in v] if isinstance(v, (list, tuple)) else v


def record(dialect, name, sql, params, **extra):
    """Records (and prints) one case of `dialect`'s file."""
    if name in CASES[dialect]:
        raise SystemExit(f"case {name!r} recorded twice for {dialect}")
    CASES[dialect][name] = {"sql": sql, "params": _value(params), **extra}
    print(f"{name}: {sql!r} {params}")


def core(name, stmt):
    """Records `stmt` compiled on SQLite (`IN` lists expanded)."""
    c = stmt.compile(dialect=D, compile_kwargs={"render_postcompile": True})
    names = list(c.positiontup or [])
    record("sqlite", name, str(c), [c.params[k] for k in names], positiontup=names)


def tq(name, stmt):
    core(name, stmt.set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL))


engine = create_engine("sqlite://")
Base.metadata.create_all(engine)
_sent = []


@event.listens_for(engine, "before_cursor_execute")
def _capture(conn, cursor, statement, parameters, context, executemany):
    _sent.append((statement, list(parameters)))


def sent(name, fn):
    """Runs fn(session) and records the one statement it sent."""
    _sent.clear()
    with Session(engine) as s:
        fn(s)
    if len(_sent) != 1:
        raise SystemExit(f"{name}: expected one statement, got {len(_sent)}")
    stmt, params = _sent[0]
    record("sqlite", name, stmt, params)


a, b, c = User.name == "a", User.name == "b", User.id == 3

print("# grouping")
core("and_or", select(User.id).where(and_(a, or_(b, c))))
core("or_and", select(User.id).where(or_(a, and_(b, c))))
core("two_wheres", select(User.id).where(or_(a, b)).where(c))
core("not_and", select(User.id).where(not_(and_(a, b))))
core("not_or_with_bool", select(User.id).where(~or_(c, ~User.is_active)))
x, y, z = User.id, User.role_id, Message.id
core("arith", select(User.id).where((x + y) * z > 5, x - y - z == 1, x - (y - z) == 1,
                                    x + (y - z) == 1, x + y + z == 1, -x * y == 1,
                                    -(x * y) == 1, x / y == 1, x % y == 1))
core("concat", select(User.id).where(User.name.concat("x") == "y",
                                     (User.id == 1) == (User.id == 2)))
core("not_add", select(User.id).where(~(User.name + "x")))

print("# booleans")
core("bool_eq", select(User.id).where(User.is_active == True, User.is_active == False,
                                      User.is_active != True))
core("bool_is", select(User.id).where(User.is_active.is_(True), User.is_active.is_not(None)))
core("bool_bare", select(User.id).where(User.is_active))
core("bool_not", select(User.id).where(~User.is_active))
core("bool_in_and", select(User.id).where(or_(User.is_active, c)))
core("true_where", select(User.id).where(true()))
core("false_where", select(User.id).where(false()))
core("and_true", select(User.id).where(and_(true(), c)))
core("or_true", select(User.id).where(or_(true(), c)))
core("bool_select_list", select(User.id, User.is_active == True, ~User.is_active,
                                true(), not_(User.name)))
tq("bool_select_list_tq", select(~User.is_active))

print("# comparisons")
core("likes", select(User.id).where(User.name.like("a%"), User.name.notlike("x"),
                                    User.name.ilike("y"), User.name.notilike("z")))
core("likes_escape", select(User.id).where(
    User.name.like("a!%", escape="!"), ~User.name.ilike("b", escape="!"),
    User.name.contains("%_/", autoescape=True), User.email.startswith("it's", escape="'")))
core("betweens", select(User.id).where(User.id.between(1, 2), ~User.id.between(3, 4)))
core("ins", select(User.id).where(User.id.in_([1, 2]), User.name.not_in(["a"])))
core("in_subquery", select(User.id).where(User.id.in_(select(Message.user_id))))
core("eq_scalar", select(User.id).where(User.id == select(func.max(Message.user_id)).scalar_subquery()))
core("nulls", select(User.id).where(User.name == None, User.name != None))
sent("empty_in", lambda s: s.scalars(select(User.id).where(User.id.in_([]))).all())
sent("empty_not_in", lambda s: s.scalars(select(User.id).where(User.id.not_in([]))).all())

print("# labels")
core("bind_shifts_label", select(User.id + 5, Message.id, User.id))
core("clash_dedupe", select(User.id, Message.id, User.id, Message.id))
tq("tq_dedupe", select(User.id, Message.id, User.id))
core("functions", select(func.count(User.id), func.count(), func.max(Message.id),
                         func.count(distinct(User.name)), func.lower(User.name),
                         func.coalesce(User.name, "x"), func.coalesce(User.email, "y")))
core("label_clash", select(User.name.label("id"), User.id))
tq("label_clash_tq", select(User.name.label("users_id"), User.id))
core("anon_label", select(User.name.label(None), User.email.label(None)))
core("unary_list", select(distinct(User.name), -User.id, -(User.id + 1), User.name.desc()))
core("misc_list", select(literal(5), User.id.between(1, 2), select(func.max(Message.id)).scalar_subquery()))
n = func.count(Message.id).label("n")
core("order_by_label", select(Message.user_id, n).group_by(Message.user_id)
     .having(n > 2).order_by(n.desc(), func.count(Message.id)))
tq("group_by_label", select(Message.user_id, n).group_by(n).order_by(n))
al = func.count(Message.id).label(None)
core("order_by_anon_label", select(Message.user_id, al).order_by(al))
core("order_by_grouping", select(User.id).order_by(or_(a, b).desc(), (User.id + 1).asc()))
core("distinct_select", select(User.name).distinct())

print("# froms")
ua, ma = ut.alias(), mt.alias()
core("alias_and_table", select(ut.c.id, ua.c.id))
core("select_from_first", select(ut.c.id).select_from(mt).where(rt.c.id == 1))
core("join_then_table", select(ut.c.id, rt.c.id).select_from(ut.join(mt, ut.c.id == mt.c.user_id)))
core("join_chain", select(ut.c.id).select_from(ut.join(mt, ut.c.id == mt.c.user_id)
                                               .join(rt, rt.c.id == ut.c.role_id)))
core("join_right_nested", select(ut.c.id).select_from(ut.join(mt.join(rt, rt.c.id == mt.c.id),
                                                              ut.c.id == mt.c.user_id)))
core("outer_join_and", select(ut.c.id).select_from(ut.join(ma, and_(ut.c.id == ma.c.user_id,
                                                                    ma.c.id > 5), isouter=True)))
core("join_on_bool", select(ut.c.id).select_from(ut.join(mt, and_(ut.c.id == mt.c.user_id,
                                                                  ut.c.is_active))))
core("two_aliases", select(ut.c.id, ma.c.id, ua.c.name).where(ma.c.user_id == ua.c.id))
sq = select(ut.c.id, mt.c.id, func.count(mt.c.id)).subquery()
core("subquery_disamb", select(sq.c.id, sq.c.id_1, sq.c[2]))
sq2 = select(ut.c.id, mt.c.id, func.count(mt.c.id)).set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL).subquery()
tq("subquery_tq", select(sq2))
inner = select(ut.c.id).subquery()
outer = select(inner.c.id).subquery()
core("nested_subqueries", select(outer.c.id))
core("correlated_scalar", select(User.name, select(func.count(Message.id))
                                 .where(Message.user_id == User.id).scalar_subquery()))
core("correlated_in", select(User.id).where(User.id.in_(select(Message.user_id)
                                                        .where(Message.id == User.id))))
core("scalar_counts", select(func.count(User.id), select(func.count(Message.id)).scalar_subquery()))
core("no_from", select(func.count()))
sent("joinedload_limit", lambda s: s.query(User).options(joinedload(User.role))
     .filter(User.id == 5).order_by(User.name).limit(2).all())

print("# quoting")
core("quoted", select(order.c.x, order.c.order, order.c.Id2).where(order.c.order == "5"))
tq("quoted_tq", select(order.c.x, order.c.order, order.c.Id2))
core("quoted_alias", select(order.alias().c.x))

_cte = (select(mt.c.user_id, func.count(mt.c.id).label("n")).where(mt.c.id > 5)
        .group_by(mt.c.user_id).cte("counts"))
core("cte_params_first", select(ut.c.name, _cte.c.n, literal(3))
     .join(_cte, ut.c.id == _cte.c.user_id).where(_cte.c.n > 2))
_chain = select(ut.c.id, ut.c.name).where(ut.c.id == 1).cte("chain", recursive=True)
_prev = _chain.alias()
_chain = _chain.union_all(select(ut.c.id, ut.c.name).join(_prev, ut.c.id == _prev.c.id + 1))
core("cte_recursive_alias", select(_chain.c.name).order_by(_chain.c.id))

print("# limit")
core("limit_only", select(User.name).limit(3))
core("offset_only", select(User.name).offset(3))
core("limit_offset", select(User.name).order_by(User.id).limit(3).offset(2))
core("scalar_limit", select(User.id).where(User.id == select(Message.user_id).limit(1).scalar_subquery()))

print("# dml")
core("insert", ut.insert().values(name="a", email="b"))
core("insert_default", gt.insert().values({}))
core("insert_returning", ut.insert().values(name="x").returning(ut.c.id, ut.c.created_at))
core("update_composite", user_groups.update().values(user_id=3)
     .where(and_(user_groups.c.user_id == 1, user_groups.c.group_id == 2)))
core("delete_composite", user_groups.delete()
     .where(and_(user_groups.c.user_id == 1, user_groups.c.group_id == 2)))
core("insert_quoted", order.insert().values(order="1", Id2=3))
core("update_quoted", order.update().values(order="1").where(order.c.x == 3))

print("# ddl")
for t in Base.metadata.tables.values():
    record("sqlite", f"create_{t.name}", str(CreateTable(t).compile(dialect=D)), [])
record("sqlite", "create_Order", str(CreateTable(order).compile(dialect=D)), [])
e2 = create_engine("sqlite://")
created = []
event.listen(e2, "before_cursor_execute",
             lambda c, cu, st, p, ctx, m: created.append(st.split()[2]) if "CREATE" in st else None)
Base.metadata.create_all(e2)
CASES["sqlite"]["create_all_order"] = {"tables": created, "metadata": list(Base.metadata.tables)}
print("create_all_order:", created, "metadata order:", list(Base.metadata.tables))

print("# traces with their newlines (expected/*.json shows them folded)")
sent("trace_first", lambda s: s.query(User).filter(User.name == "Bob").first())
sent("trace_count", lambda s: s.query(User).filter(User.id > 3).filter(User.id <= 6).count())
sent("trace_select_count", lambda s: s.execute(select(func.count()).select_from(User)).scalar())
sent("trace_joinedload", lambda s: s.query(User).options(joinedload(User.messages)).all())
sent("trace_aggregate", lambda s: s.query(Message.user_id, func.count(Message.id).label("n"))
     .group_by(Message.user_id).order_by(func.count(Message.id).desc()).limit(3).all())
sent("trace_notin", lambda s: s.query(User).filter(User.name != "Alice")
     .filter(User.name.notin_(["Bob", "Carol"])).count())


def _m2m(s):
    s.add(User(id=1, name="a", email="a"))
    s.flush()
    s.expire_all()
    u = s.get(User, 1)
    _sent.clear()
    u.groups


sent("trace_m2m", _m2m)

print("# more")
core("double_not", select(User.id).where(not_(not_(User.name))))
_counts = (select(Message.user_id, func.count(Message.id).label("n"))
           .group_by(Message.user_id).subquery())
sent("join_subquery", lambda s: s.query(User.name, _counts.c.n)
     .join(_counts, User.id == _counts.c.user_id).filter(_counts.c.n > 2).all())
_u = aliased(User, name="u")
sent("fixed_alias", lambda s: s.query(_u).filter(_u.name == "x").all())
sent("scalar_in_query", lambda s: s.query(User.name, select(func.count(Message.id))
     .where(Message.user_id == User.id).scalar_subquery()).all())

print("# found by differential testing")
core("scalar_drops_labels", select(User.id).where(User.id.in_(
    select(Message.user_id).set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL))))
core("one_clause_and", select(and_(User.is_active), not_(and_(User.is_active)),
                              and_(true()), not_(and_(true()))))
tq("one_clause_and_tq", select(and_(User.is_active)))
_rep = select(Message.id, Message.id).subquery()
core("subquery_repeated_column", select(_rep.c[1]))
_anon = select(User.id * Message.id).subquery()
core("anon_subquery_column", select(_anon.c[0], _anon.c[0] + 1))

print("# eager loading wrapped in a subquery")
sent("joinedload_first", lambda s: s.query(User).options(joinedload(User.messages))
     .order_by(User.id).first())

print("# str(): the default string dialect (str_select / str_expression)")


def string(name, e):
    """Records `str(e)`: the default string dialect, named parameters."""
    c = e.compile()
    record("default", name, str(c), [[k, v] for k, v in c.params.items()])


for _name, _e in [("str_eq", User.name == "Bob"), ("str_true", User.is_active == True),
                  ("str_not_bool", ~User.is_active), ("str_in", User.id.in_([1, 2])),
                  ("str_div", User.id / 2), ("str_label", User.name.label("x")),
                  ("str_empty_in", User.id.not_in([]))]:
    string(_name, _e)
string("str_select", select(User.id).where(User.name == "Bob", User.is_active).limit(1))
string("str_offset", select(User.id).where(User.name.ilike("x")).offset(2))
string("str_true_where", select(User.id, true()).where(true(), User.role_id == None))
_user = Table("user", MetaData(), Column("id", Integer))
string("str_quote_user", select(_user.c.id))
string("str_count", select(func.count(User.id), func.now()).select_from(User))
_ua = ut.alias()
_kcols = [ut.c.id, _ua.c.id, func.max(ut.c.id), ut.c.id + 1, ut.c.name.label("nm"),
          ut.c.name.label(None), ut.c.id, mt.c.id, ~ut.c.is_active]
for _style in ("disamb", "tq"):
    _st = select(*_kcols)
    if _style == "tq":
        _st = _st.set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL)
    _sq = _st.subquery()
    for _i, _c in enumerate(_sq.c):
        string(f"subquery_keys_{_style}_{_i}", _c == 5)

print("# PostgreSQL (psycopg2); each pg_* statement is also recorded for SQLite")
PG = postgresql.psycopg2.dialect()


def pg(name, stmt, also_sqlite=False):
    """Records `stmt` compiled on PostgreSQL (`IN` lists expanded) and,
    with `also_sqlite`, on SQLite under the same name."""
    c = stmt.compile(dialect=PG, compile_kwargs={"render_postcompile": True})
    record("postgresql", name, str(c), [[k, v] for k, v in c.params.items()])
    if also_sqlite:
        core(name, stmt)


_active = ut.c.is_active
pg("pg_simple_filter", select(ut.c.id, ut.c.name).where(ut.c.name == "Bob"), True)
pg("pg_limit_offset", select(ut.c.id).where(ut.c.id > 3).limit(5).offset(10), True)
pg("pg_limit_only", select(ut.c.id).limit(1), True)
pg("pg_offset_only", select(ut.c.id).offset(2))
pg("pg_ilike", select(ut.c.id).where(ut.c.name.ilike("%b%")))
pg("pg_not_ilike", select(ut.c.id).where(ut.c.name.not_ilike("%b%")))
pg("pg_booleans", select(ut.c.id).where(_active, ~_active, _active == True))
pg("pg_booleans_select_list", select(ut.c.id, true(), _active == False))
pg("pg_in", select(ut.c.id).where(ut.c.id.in_([1, 2])), True)
pg("pg_empty_in", select(ut.c.id).where(ut.c.id.in_([])))
pg("pg_empty_not_in", select(ut.c.id).where(ut.c.id.not_in([])))
pg("pg_functions", select(func.now(), func.localtimestamp(), func.char_length(ut.c.name)))
pg("pg_division", select(ut.c.id / ut.c.role_id))
pg("pg_quoted_labels", select(ut.c.id.label("user"), ut.c.id.label("order")))
pg("pg_contains", select(ut.c.id).where(ut.c.name.contains("b").self_group()), True)
# update(User).where(User.name == "a").values(name=User.name + "x", email="e")
core("bulk_update", ut.update().where(ut.c.name == "a").values(name=ut.c.name + "x", email="e"))


def write():
    """Writes CASES into tests/compiler/<dialect>.json."""
    folder = Path(__file__).resolve().parent / "compiler"
    folder.mkdir(exist_ok=True)
    import sqlalchemy
    for dialect, cases in CASES.items():
        data = {"@generated": f"by `python3 tests/sqlalchemy_checks.py --write` with "
                              f"SQLAlchemy {sqlalchemy.__version__}; do not edit",
                **cases}
        # One case a line, so a regeneration's diff reads case by case.
        lines = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()]
        path = folder / f"{dialect}.json"
        path.write_text("{\n" + ",\n".join(lines) + "\n}\n")
        print(f"wrote {len(cases)} cases to {path}", file=sys.stderr)


if "--write" in sys.argv[1:]:
    write()
