"""Writes src/sqlalchemy/help.rs: what `help(x)` shows for SQLAlchemy's
names and Session's methods — the signature as SQLAlchemy 2.0's source
declares it (read with `inspect.signature`, annotations as written) and a
one-line summary of the docstring's first paragraph in the tutor's own
words (SUMMARIES below, the one place they are written).
(run: python3 tools/help_texts.py > src/sqlalchemy/help.rs)"""
import inspect, re, sqlalchemy, sqlalchemy.orm
from sqlalchemy.orm import Session

SUMMARIES = {
    # Core expression constructors
    "select": "Makes a SELECT statement of entities, columns or expressions; run it with session.execute() or session.scalars().",
    "func": "Makes SQL function calls by attribute name: func.count(User.id) renders count(users.id).",
    "and_": "Joins criteria with AND.",
    "or_": "Joins criteria with OR.",
    "not_": "Negates a criterion (NOT).",
    "desc": "A DESC ordering of a column or expression, for order_by().",
    "asc": "An ASC ordering of a column or expression, for order_by().",
    "distinct": "A DISTINCT applied to one column expression, as in count(distinct(x)).",
    "literal": "A Python value as a bound parameter of an expression.",
    "true": "The SQL constant true (1 where the database has no boolean).",
    "false": "The SQL constant false (0 where the database has no boolean).",
    "null": "The SQL constant NULL.",
    "text": "A textual SQL statement or fragment; :name marks a bound parameter.",
    "case": "A CASE expression from (condition, result) pairs and an else_.",
    "exists": "An EXISTS subquery criterion.",
    "union": "A UNION of SELECT statements.",
    "union_all": "A UNION ALL of SELECT statements.",
    "intersect": "An INTERSECT of SELECT statements.",
    "intersect_all": "An INTERSECT ALL of SELECT statements.",
    "except_": "An EXCEPT of SELECT statements.",
    "except_all": "An EXCEPT ALL of SELECT statements.",
    "cast": "A CAST(expression AS type) expression.",
    "literal_column": "A column expression written as SQL text, rendered as given.",
    "table": "A lightweight table clause (no MetaData) for Core statements.",
    "column": "A lightweight column clause, alone or in a table().",
    "PrimaryKeyConstraint": "A table-level PRIMARY KEY over one or more columns.",
    "ForeignKeyConstraint": "A table-level FOREIGN KEY over one or more columns.",
    "bindparam": "A named bound parameter whose value is given when the statement runs.",
    "nulls_first": "Puts NULLs first in an ORDER BY (NULLS FIRST).",
    "nulls_last": "Puts NULLs last in an ORDER BY (NULLS LAST).",
    "nullsfirst": "The older name of nulls_first().",
    "nullslast": "The older name of nulls_last().",
    # loader options
    "joinedload": "Loads a relationship in the same SELECT through a LEFT OUTER JOIN.",
    "selectinload": "Loads a relationship with a second SELECT ... WHERE key IN (...) for all parents at once.",
    "subqueryload": "Loads a relationship with a second SELECT joined to the first query as a subquery.",
    "lazyload": "Loads a relationship with its own SELECT when the attribute is first read.",
    "raiseload": "Makes reading a not-yet-loaded relationship raise instead of emitting SQL.",
    "noload": "Leaves a relationship unloaded (legacy).",
    "defaultload": "Keeps a relationship's own loading, to chain options onto its attributes.",
    "Load": "A chain of loader options starting from an entity: Load(User).selectinload(User.messages).",
    "contains_eager": "Fills a relationship from columns the query already joins and selects.",
    "with_parent": "A criterion selecting the objects related to a given parent object.",
    "object_session": "The Session an object belongs to, or None.",
    "close_all_sessions": "Closes every Session in memory.",
    "make_url": "Parses a database URL string into a URL object.",
    "load_only": "Loads only the given column attributes; the others load when first read.",
    "defer": "Defers a column attribute: loaded when first read.",
    "undefer": "Loads a deferred column attribute with the query.",
    "undefer_group": "Loads a group of deferred columns with the query.",
    "deferred": "A column attribute that loads when first read, not with its object.",
    "column_property": "A mapped attribute computed from a SQL expression, selected with the object.",
    "query_expression": "A mapped attribute whose expression each query gives with with_expression().",
    "with_expression": "Gives a query_expression() attribute its SQL expression for one query.",
    "inspect": "The inspection object of an object, class or engine (InstanceState, Mapper, Inspector).",
    # sessions and engines
    "Session": "The unit of work: an identity map of the objects it loaded and their pending changes, flushed in one transaction.",
    "sessionmaker": "A factory of Sessions with fixed arguments (bind, expire_on_commit, ...).",
    "create_engine": "Makes an Engine for a database URL; it connects at first use.",
    "declarative_base": "Makes a declarative base class with its own MetaData and registry.",
    "aliased": "Another name for an entity in one statement, for self-joins and subqueries.",
    "Bundle": "Groups column expressions under one name in a result row.",
    "update": "Makes an UPDATE statement.",
    "delete": "Makes a DELETE statement.",
    "insert": "Makes an INSERT statement.",
    # schema
    "Column": "A column of a Table, or a mapped attribute in a declarative class.",
    "ForeignKey": "Marks a Column as referring to another table's column.",
    "relationship": "A mapped attribute holding related objects: a list or one object, loaded and flushed by the ORM.",
    "validates": "Decorates a method that checks (and may change) values set on the named attributes.",
    "backref": "Arguments for the relationship a backref= makes on the other class.",
    "Table": "A table of a MetaData: a name and its columns and constraints.",
    "mapped_column": "A column of a declarative class, typed from its Mapped[...] annotation.",
    "Mapped": "The annotation of a mapped attribute: Mapped[int], Mapped[Optional[str]], Mapped[list[\"Address\"]].",
    "MappedAsDataclass": "A mixin that makes each mapped class a Python dataclass.",
    "DeclarativeBase": "The base class of declarative models in SQLAlchemy 2.0: subclass it once as Base.",
    "registry": "The registry of mapped classes, with its MetaData.",
    "MetaData": "A collection of Tables, with create_all() and drop_all().",
    "Index": "An index over one or more columns (CREATE INDEX).",
    "UniqueConstraint": "A table-level UNIQUE constraint.",
    "CheckConstraint": "A CHECK constraint with a SQL condition.",
    # types
    "Integer": "The integer type (INTEGER).",
    "INTEGER": "The SQL INTEGER type.",
    "BigInteger": "The large integer type (BIGINT).",
    "BIGINT": "The SQL BIGINT type.",
    "SmallInteger": "The small integer type (SMALLINT).",
    "SMALLINT": "The SQL SMALLINT type.",
    "String": "The string type (VARCHAR, with an optional length).",
    "VARCHAR": "The SQL VARCHAR type.",
    "Unicode": "A String for Unicode text.",
    "CHAR": "The SQL CHAR type.",
    "Text": "The unbounded text type (TEXT).",
    "TEXT": "The SQL TEXT type.",
    "UnicodeText": "An unbounded Text for Unicode text.",
    "Boolean": "The boolean type (BOOLEAN; 1/0 where the database has none).",
    "BOOLEAN": "The SQL BOOLEAN type.",
    "DateTime": "The date-and-time type, for datetime.datetime values.",
    "DATETIME": "The SQL DATETIME type.",
    "Date": "The date type, for datetime.date values.",
    "DATE": "The SQL DATE type.",
    "Time": "The time type, for datetime.time values.",
    "TIME": "The SQL TIME type.",
    "Interval": "The type of datetime.timedelta values.",
    "Float": "The floating point type (FLOAT).",
    "FLOAT": "The SQL FLOAT type.",
    "Numeric": "The fixed-precision type (NUMERIC), for decimal.Decimal values.",
    "NUMERIC": "The SQL NUMERIC type.",
    "DECIMAL": "The SQL DECIMAL type.",
    "LargeBinary": "The binary type (BLOB / BYTEA), for bytes values.",
    "BLOB": "The SQL BLOB type.",
    "JSON": "The JSON type: dicts and lists stored as JSON.",
    "Uuid": "The UUID type, for uuid.UUID values.",
    "Enum": "An enumerated type: a Python Enum class or a list of strings.",
    # Session's methods
    "Session.add": "Places an object in the Session; it is INSERTed at the next flush.",
    "Session.add_all": "add() for each object of a collection.",
    "Session.begin": "Begins a transaction on this Session (the context manager commits it).",
    "Session.begin_nested": "Begins a SAVEPOINT: a nested transaction that can roll back alone.",
    "Session.bulk_insert_mappings": "Inserts rows given as dicts (legacy bulk API).",
    "Session.bulk_save_objects": "Inserts or updates a list of objects in bulk (legacy bulk API).",
    "Session.bulk_update_mappings": "Updates rows given as dicts with their primary keys (legacy bulk API).",
    "Session.close": "Ends the transaction and expunges all objects; the Session can be used again.",
    "Session.commit": "Flushes pending changes and commits the current transaction.",
    "Session.connection": "The Connection this Session's transaction uses.",
    "Session.delete": "Marks an object for deletion; it is DELETEd at the next flush.",
    "Session.execute": "Runs a statement (select(), insert(), update(), delete(), text()) and returns a Result.",
    "Session.expire": "Marks an object's attributes to be loaded again on next access.",
    "Session.expire_all": "Expires every object in the Session.",
    "Session.expunge": "Removes one object from the Session.",
    "Session.expunge_all": "Removes every object from the Session.",
    "Session.flush": "Sends the pending INSERTs, UPDATEs and DELETEs inside the current transaction.",
    "Session.get": "The object with this primary key: from the identity map, else one SELECT; None if there is none.",
    "Session.get_bind": "The Engine or Connection this Session runs statements on.",
    "Session.get_nested_transaction": "The innermost SAVEPOINT transaction, if any.",
    "Session.get_one": "Like get(), but raises NoResultFound when there is no such row.",
    "Session.get_transaction": "The current root transaction, if any.",
    "Session.identity_key": "The identity-map key of a class and primary key, or of an object.",
    "Session.in_nested_transaction": "Whether a SAVEPOINT is open.",
    "Session.in_transaction": "Whether a transaction has begun.",
    "Session.is_modified": "Whether an object has changes not yet flushed.",
    "Session.merge": "Copies an object's state onto the Session's own copy of it (loaded or new) and returns that copy.",
    "Session.object_session": "The Session an object belongs to, or None.",
    "Session.query": "A legacy Query of entities or columns (SQLAlchemy 1.x style).",
    "Session.refresh": "Loads an object's attributes again from the database now.",
    "Session.reset": "Closes the Session and ends its transaction, as close() does.",
    "Session.rollback": "Rolls back the current transaction; its objects expire.",
    "Session.scalar": "Runs a statement and returns the first column of its first row.",
    "Session.scalars": "Runs a statement and returns a ScalarResult of each row's first column.",
}


def annotation(a):
    if a is inspect.Parameter.empty:
        return None
    # a string annotation (SQLAlchemy's `from __future__ import annotations`)
    # shows quoted, as `inspect.formatannotation` and pydoc show it
    return inspect.formatannotation(a)


def signature(obj, drop_self):
    sig = inspect.signature(obj)
    params, out = list(sig.parameters.values()), []
    if drop_self and params and params[0].name == "self":
        params = params[1:]
    star = False
    for i, p in enumerate(params):
        if p.kind == p.VAR_POSITIONAL:
            star = True
        if p.kind == p.KEYWORD_ONLY and not star:
            out.append("*")
            star = True
        name = re.sub(r"^_[A-Za-z]+(__\w+)$", r"\1", p.name)  # undo name mangling
        text = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + name
        ann = annotation(p.annotation)
        if ann:
            text += f": {ann}"
        if p.default is not p.empty:
            d = p.default.__name__ if isinstance(p.default, type) else repr(p.default)
            text += (" = " if ann else "=") + d
        out.append(text)
        if p.kind == p.POSITIONAL_ONLY and (i + 1 == len(params) or params[i + 1].kind != p.POSITIONAL_ONLY):
            out.append("/")
    ret = annotation(sig.return_annotation)
    return "(" + ", ".join(out) + ")" + (f" -> {ret}" if ret else "")


def find(name):
    if "." in name:
        cls, meth = name.split(".")
        return getattr(Session, meth), "method"
    obj = getattr(sqlalchemy, name, None) or getattr(sqlalchemy.orm, name)
    return obj, ("class" if isinstance(obj, type) else "function")


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


print("// @generated by tools/help_texts.py from SQLAlchemy " + sqlalchemy.__version__ + "; do not edit.")
print("//! What `help(x)` shows for SQLAlchemy's names and `Session`'s methods")
print("//! (the one table of them): the signature as SQLAlchemy 2.0's source")
print("//! declares it and a one-line summary of its docstring's first paragraph.")
print()
print("/// What `help(x)` prints about one SQLAlchemy name.")
print("#[derive(Debug, Clone, Copy, PartialEq, Eq)]")
print("pub enum HelpKind {")
print("    /// a function: `Help on function NAME in module MODULE:`")
print("    Function,")
print("    /// a class: `Help on class NAME in module MODULE:`, `class NAME(…)`")
print("    Class,")
print("    /// a method of `Session`, shown as a function of the class or a bound method")
print("    Method,")
print("}")
print()
print("/// One name's help: `name` as the learner spells it (`\"select\"`,")
print("/// `\"Session.execute\"`), the module that defines it, its signature")
print("/// (parameters and return annotation, `self` left out) and its summary.")
print("#[derive(Debug)]")
print("pub struct HelpEntry {")
print("    pub name: &'static str,")
print("    pub kind: HelpKind,")
print("    pub module: &'static str,")
print("    pub signature: &'static str,")
print("    pub summary: &'static str,")
print("}")
print()
print("/// Every documented name, in SQLAlchemy's namespace order.")
print("pub const HELP: &[HelpEntry] = &[")
for name, summary in SUMMARIES.items():
    obj, kind = find(name)
    try:
        sig = signature(obj, drop_self=True)
    except (TypeError, ValueError):
        sig = "(*args, **kwargs)"
    module = obj.__module__
    print("    HelpEntry {")
    print(f"        name: {rust_str(name)},")
    print(f"        kind: HelpKind::{kind.capitalize()},")
    print(f"        module: {rust_str(module)},")
    print(f"        signature: {rust_str(sig)},")
    print(f"        summary: {rust_str(summary)},")
    print("    },")
print("];")
print()
print("/// The help of `name` (`\"select\"`, `\"Session.execute\"`), if the table has it.")
print("pub fn lookup(name: &str) -> Option<&'static HelpEntry> {")
print("    HELP.iter().find(|e| e.name == name)")
print("}")
