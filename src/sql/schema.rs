//! Table metadata: the Core `Table`, `Column`, `ForeignKey` and column types,
//! as a fixture's `models.py` declares them (SQLAlchemy's `sql/schema.py`).

use std::rc::Rc;

/// A column type, named as SQLAlchemy names it. Decides the DDL type and how
/// values are bound and read back on SQLite (`Boolean` as 0/1, `DateTime` as
/// `"YYYY-MM-DD HH:MM:SS.ffffff"` text).
#[derive(Debug, Clone, PartialEq)]
pub enum SqlType {
    Integer,
    BigInteger,
    SmallInteger,
    /// `String(length)`; renders `VARCHAR(length)` or `VARCHAR`.
    String(Option<u32>),
    /// `CHAR(length)`.
    Char(Option<u32>),
    Text,
    Boolean,
    DateTime,
    /// `TIMESTAMP(timezone=...)`: `TIMESTAMP` on SQLite, `TIMESTAMP WITH
    /// TIME ZONE` (or `WITHOUT`) on PostgreSQL; its values bind and load as
    /// `DateTime`'s.
    Timestamp(bool),
    Date,
    Time,
    /// `Interval`: stored as a `DATETIME` on SQLite.
    Interval,
    Float,
    /// `Numeric(precision, scale)`.
    Numeric(Option<u32>, Option<u32>),
    /// `DECIMAL(precision, scale)`.
    Decimal(Option<u32>, Option<u32>),
    LargeBinary,
    Json,
    /// `Uuid`: `CHAR(32)` on SQLite.
    Uuid,
    /// `Enum("a", "b")` or `Enum(Status)`: the names (a Python enum's
    /// member names); a `VARCHAR` as long as the longest. With a Python
    /// enum class (held opaquely: this room knows no Python values), a
    /// member binds as its name and a name loads as the member, as
    /// SQLAlchemy's `Enum` with an enum class. On PostgreSQL a native
    /// type ([`NativeEnum`]).
    Enum(Vec<String>, Option<OpaqueCallable>, NativeEnum),
}

/// What an `Enum` is on PostgreSQL, as SQLAlchemy's `Enum(native_enum=…,
/// name=…)`: a named type of its own (`CREATE TYPE status AS ENUM (…)`,
/// the name given or the enum class's, lowercased), a native enum with no
/// name (SQLAlchemy's `CompileError` at `CREATE TABLE`), or
/// `native_enum=False` (a `VARCHAR`, as on SQLite).
#[derive(Debug, Clone, PartialEq)]
pub enum NativeEnum {
    Named(String),
    Unnamed,
    Off,
}

/// PostgreSQL's name of a `TIMESTAMP(timezone=tz)`.
pub fn timestamp_pg(tz: bool) -> &'static str {
    if tz {
        "TIMESTAMP WITH TIME ZONE"
    } else {
        "TIMESTAMP WITHOUT TIME ZONE"
    }
}

fn precision(name: &str, p: Option<u32>, s: Option<u32>) -> String {
    match (p, s) {
        (Some(p), Some(s)) => format!("{name}({p}, {s})"),
        (Some(p), None) => format!("{name}({p})"),
        _ => name.to_string(),
    }
}

impl SqlType {
    /// The type as `CREATE TABLE` writes it on SQLite (SQLAlchemy's `SQLiteTypeCompiler`).
    pub fn ddl(&self) -> String {
        match self {
            SqlType::Integer => "INTEGER".into(),
            SqlType::BigInteger => "BIGINT".into(),
            SqlType::SmallInteger => "SMALLINT".into(),
            SqlType::String(Some(n)) => format!("VARCHAR({n})"),
            SqlType::String(None) => "VARCHAR".into(),
            SqlType::Char(Some(n)) => format!("CHAR({n})"),
            SqlType::Char(None) => "CHAR".into(),
            SqlType::Text => "TEXT".into(),
            SqlType::Boolean => "BOOLEAN".into(),
            SqlType::DateTime | SqlType::Interval => "DATETIME".into(),
            SqlType::Timestamp(_) => "TIMESTAMP".into(),
            SqlType::Date => "DATE".into(),
            SqlType::Time => "TIME".into(),
            SqlType::Float => "FLOAT".into(),
            SqlType::Numeric(p, s) => precision("NUMERIC", *p, *s),
            SqlType::Decimal(p, s) => precision("DECIMAL", *p, *s),
            SqlType::LargeBinary => "BLOB".into(),
            SqlType::Json => "JSON".into(),
            SqlType::Uuid => "CHAR(32)".into(),
            SqlType::Enum(names, ..) => format!(
                "VARCHAR({})",
                names.iter().map(|n| n.chars().count()).max().unwrap_or(0)
            ),
        }
    }

    /// The type as a cast names it for `dialect` (`p0::VARCHAR` in an
    /// insertmanyvalues SELECT: no length; `TIMESTAMP WITHOUT TIME ZONE`
    /// for `DateTime` on PostgreSQL).
    pub fn cast_name(&self, dialect: &crate::sql::dialect::Dialect) -> String {
        match self {
            SqlType::String(_) => "VARCHAR".into(),
            // a native enum's own type (`p0::status`), else a `String`'s
            SqlType::Enum(_, _, NativeEnum::Named(name))
                if dialect.statement_compiler
                    == crate::sql::dialect::StatementCompiler::PostgreSQL =>
            {
                dialect.quote(name)
            }
            SqlType::Enum(..) => "VARCHAR".into(),
            SqlType::DateTime
                if dialect.statement_compiler
                    == crate::sql::dialect::StatementCompiler::PostgreSQL =>
            {
                "TIMESTAMP WITHOUT TIME ZONE".into()
            }
            SqlType::Timestamp(tz)
                if dialect.statement_compiler
                    == crate::sql::dialect::StatementCompiler::PostgreSQL =>
            {
                timestamp_pg(*tz).into()
            }
            SqlType::LargeBinary
                if dialect.statement_compiler
                    == crate::sql::dialect::StatementCompiler::PostgreSQL =>
            {
                "BYTEA".into()
            }
            // psycopg2's `_PGNumeric` stands for `DECIMAL` too
            SqlType::Decimal(p, s)
                if dialect.statement_compiler
                    == crate::sql::dialect::StatementCompiler::PostgreSQL =>
            {
                SqlType::Numeric(*p, *s).ddl()
            }
            other => other.ddl(),
        }
    }

    /// The `::TYPE` asyncpg's `render_bind_cast` gives a parameter of this
    /// type (`$1::INTEGER`), as `PGCompiler.render_bind_cast` writes the
    /// `Asyncpg*` types of `PGDialect_asyncpg.colspecs`: a string type with
    /// a length is a bare `VARCHAR`, `Text` too; `DateTime` is `TIMESTAMP
    /// WITHOUT TIME ZONE`, `DECIMAL` a `NUMERIC`. `None`: no cast (an
    /// `Enum`, which asyncpg sends as text or as its native type).
    pub fn bind_cast_name(&self) -> Option<String> {
        Some(match self {
            SqlType::String(_) | SqlType::Text | SqlType::Char(Some(_)) => "VARCHAR".into(),
            SqlType::Char(None) => "CHAR".into(),
            SqlType::DateTime => "TIMESTAMP WITHOUT TIME ZONE".into(),
            SqlType::Timestamp(tz) => timestamp_pg(*tz).into(),
            SqlType::Time => "TIME WITHOUT TIME ZONE".into(),
            SqlType::Interval => "INTERVAL".into(),
            SqlType::Decimal(p, s) => SqlType::Numeric(*p, *s).ddl(),
            SqlType::LargeBinary => "BYTEA".into(),
            SqlType::Uuid => "UUID".into(),
            SqlType::Enum(..) => return None,
            other => other.ddl(),
        })
    }

    /// The type SQLAlchemy gives a bound value by its Python type
    /// (`_resolve_value_to_type`): `int` → `Integer`, `str` → `String`,
    /// `float` → `Float`, `bool` → `Boolean`, `datetime` → `DateTime`,
    /// `Decimal` → `Numeric`; `None` is `NullType` (`None` here).
    pub fn of_value(value: &SqlValue) -> Option<SqlType> {
        Some(match value {
            SqlValue::Null => return None,
            SqlValue::Integer(_) | SqlValue::BigInt(_) => SqlType::Integer,
            SqlValue::Real(_) => SqlType::Float,
            SqlValue::Text(_) => SqlType::String(None),
            SqlValue::Blob(_) => SqlType::LargeBinary,
            SqlValue::Numeric(_) => SqlType::Numeric(None, None),
            SqlValue::Bool(_) => SqlType::Boolean,
            SqlValue::Timestamp(_) => SqlType::DateTime,
            SqlValue::Date(_) => SqlType::Date,
            SqlValue::Time(_) => SqlType::Time,
            SqlValue::Array(_) => return None,
        })
    }

    /// The type's Python `repr()`, as SQLAlchemy's `util.generic_repr`:
    /// `Integer()`, `String(length=30)`, `Numeric(precision=10, scale=2)`,
    /// `Enum('a', 'b')`.
    pub fn python_repr(&self) -> String {
        let name = self.python_name();
        let precision = |p: &Option<u32>, s: &Option<u32>| {
            let mut args = Vec::new();
            if let Some(p) = p {
                args.push(format!("precision={p}"));
            }
            if let Some(s) = s {
                args.push(format!("scale={s}"));
            }
            args.join(", ")
        };
        let args = match self {
            SqlType::String(Some(n)) | SqlType::Char(Some(n)) => format!("length={n}"),
            SqlType::Numeric(p, s) | SqlType::Decimal(p, s) => precision(p, s),
            SqlType::Timestamp(true) => "timezone=True".into(),
            SqlType::Enum(names, ..) => names
                .iter()
                .map(|n| format!("'{}'", n.replace('\\', "\\\\").replace('\'', "\\'")))
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        };
        format!("{name}({args})")
    }

    /// The Python-side name (`Integer`, `String`, …), for `.models` and errors.
    pub fn python_name(&self) -> &'static str {
        match self {
            SqlType::Integer => "Integer",
            SqlType::BigInteger => "BigInteger",
            SqlType::SmallInteger => "SmallInteger",
            SqlType::String(_) => "String",
            SqlType::Char(_) => "CHAR",
            SqlType::Text => "Text",
            SqlType::Boolean => "Boolean",
            SqlType::DateTime => "DateTime",
            SqlType::Timestamp(_) => "TIMESTAMP",
            SqlType::Date => "Date",
            SqlType::Time => "Time",
            SqlType::Interval => "Interval",
            SqlType::Float => "Float",
            SqlType::Numeric(..) => "Numeric",
            SqlType::Decimal(..) => "DECIMAL",
            SqlType::LargeBinary => "LargeBinary",
            SqlType::Json => "JSON",
            SqlType::Uuid => "Uuid",
            SqlType::Enum(..) => "Enum",
        }
    }
}

/// `ForeignKey("users.id")`: the referenced table and column, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    /// `ondelete="CASCADE"`: written as `ON DELETE CASCADE`.
    pub ondelete: Option<String>,
}

/// A Python-side column default applied at flush (`default=True`,
/// `default=datetime.utcnow`).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnDefault {
    /// A constant, already in its bound form.
    Value(SqlValue),
    /// `datetime.utcnow` / `datetime.now`: the time of the flush.
    UtcNow,
    Now,
    /// A learner's function (`default=lambda: "draft"`, `default=make_slug`):
    /// the Python value, held opaquely (this room knows no Python values).
    /// The interpreter calls it when it makes the object (`orm::state::
    /// Instance::prefetched`), where it can call Python, and the flush sends
    /// what it returned; SQLAlchemy calls it at the flush.
    Callable(OpaqueCallable),
    /// A SQL expression (`default=func.now()`): rendered in the INSERT (or
    /// the UPDATE, for `onupdate=`) instead of a parameter, and read back
    /// with `RETURNING` after an INSERT / expired after an UPDATE, as
    /// SQLAlchemy's `eager_defaults="auto"`.
    Sql(crate::sql::elements::Expr),
}

/// A value of a room above, held by pointer: compared by identity.
#[derive(Clone)]
pub struct OpaqueCallable(pub Rc<dyn std::any::Any>);

impl PartialEq for OpaqueCallable {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for OpaqueCallable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<callable>")
    }
}

/// One `Column(...)` of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub sql_type: SqlType,
    pub primary_key: bool,
    pub nullable: bool,
    /// `unique=True`: a `UNIQUE (c)` constraint, or with `index=True` a
    /// `CREATE UNIQUE INDEX`.
    pub unique: bool,
    /// `index=True`: `CREATE INDEX ix_<table>_<column>` after the table.
    pub index: bool,
    pub foreign_key: Option<ForeignKey>,
    pub default: Option<ColumnDefault>,
    /// `onupdate=`: applied to the column at each UPDATE that does not set it.
    pub onupdate: Option<ColumnDefault>,
    /// `server_default=`: the DDL text after `DEFAULT` (a string default
    /// quoted as SQLAlchemy renders it, `'0'`).
    pub server_default: Option<String>,
    /// Deferred loading of the ORM attribute mapped to this column
    /// (`mapped_column(deferred=True)`, `deferred(Column(...))`).
    pub deferred: Option<Deferred>,
    /// `Enum(..., create_constraint=True)`: a `CHECK (c IN (…))` after the
    /// column's other constraints, `CONSTRAINT name` when the enum has a
    /// `name=` (SQLAlchemy's `SchemaType` check constraint).
    pub enum_check: Option<Option<String>>,
    /// `Column("id", Integer, Sequence("s"))`: the sequence the column's
    /// default comes from on a dialect with sequences (`nextval('s')` in
    /// the INSERT, `CREATE SEQUENCE` before the table); SQLite ignores it.
    pub sequence: Option<Rc<Sequence>>,
    /// `Column("id", Integer, Identity(...))`: `GENERATED … AS IDENTITY` on
    /// PostgreSQL; SQLite ignores it.
    pub identity: Option<Identity>,
    /// The options as the learner gave them, for the `Column`'s attributes.
    pub face: ColumnFace,
}

/// A `Column`'s options as SQLAlchemy's `Column` object reports them
/// (`c.unique`, `c.index`, `c.autoincrement`, `c.comment`,
/// `c.server_default`, `c.server_onupdate`): `None` where not given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnFace {
    /// `unique=`, `None` when not given.
    pub unique: Option<bool>,
    /// `index=`, `None` when not given.
    pub index: Option<bool>,
    /// `autoincrement=`: `None` for SQLAlchemy's default `"auto"`, else
    /// Python's `repr` of what was given (`True`, `False`, `'ignore_fk'`).
    pub autoincrement: Option<String>,
    /// `comment=`.
    pub comment: Option<String>,
    /// Python's `repr` of `server_default=`'s argument (`'3'`,
    /// `<sqlalchemy.sql.elements.TextClause object at 0x…>`).
    pub server_default: Option<String>,
    /// Python's `repr` of `server_onupdate=`'s argument.
    pub server_onupdate: Option<String>,
    /// A reflected column's type as the dialect names it: its class
    /// (`INTEGER`, `VARCHAR`) and arguments (`["100"]`), shown by `c.type`
    /// and `repr()` in capitals, as SQLAlchemy's reflected types.
    pub reflected_type: Option<(String, Vec<String>)>,
}

/// The options a `Sequence` and an `Identity` share (SQLAlchemy's
/// `IdentityOptions`), in the order the DDL writes them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdentityOptions {
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub minvalue: Option<i64>,
    pub maxvalue: Option<i64>,
    pub nominvalue: bool,
    pub nomaxvalue: bool,
    pub cache: Option<i64>,
    pub cycle: Option<bool>,
}

impl IdentityOptions {
    /// The options as `DDLCompiler.get_identity_options` writes them:
    /// `INCREMENT BY 2 START WITH 3 MINVALUE 1 MAXVALUE 100 CACHE 5 CYCLE`
    /// (empty when none is given).
    pub fn ddl(&self) -> String {
        let mut text = Vec::new();
        if let Some(i) = self.increment {
            text.push(format!("INCREMENT BY {i}"));
        }
        if let Some(s) = self.start {
            text.push(format!("START WITH {s}"));
        }
        if let Some(m) = self.minvalue {
            text.push(format!("MINVALUE {m}"));
        }
        if let Some(m) = self.maxvalue {
            text.push(format!("MAXVALUE {m}"));
        }
        if self.nominvalue {
            text.push("NO MINVALUE".into());
        }
        if self.nomaxvalue {
            text.push("NO MAXVALUE".into());
        }
        if let Some(c) = self.cache {
            text.push(format!("CACHE {c}"));
        }
        match self.cycle {
            Some(true) => text.push("CYCLE".into()),
            Some(false) => text.push("NO CYCLE".into()),
            None => {}
        }
        text.join(" ")
    }

    /// The options as SQLAlchemy's `repr()` lists them: `, start=3,
    /// increment=2` (in `IdentityOptions.__init__`'s order).
    pub fn repr_args(&self) -> String {
        self.repr_args_around(String::new(), String::new())
    }

    /// [`Self::repr_args`] with `after_cycle` between `cycle=` and
    /// `cache=`, `after_cache` after it (`Sequence`'s `schema=`, `order=`…,
    /// in its `__init__`'s order).
    pub fn repr_args_around(&self, after_cycle: String, after_cache: String) -> String {
        let mut out = String::new();
        let mut add = |k: &str, v: String| out.push_str(&format!(", {k}={v}"));
        let py_bool = |b: bool| if b { "True" } else { "False" }.to_string();
        if let Some(v) = self.start {
            add("start", v.to_string());
        }
        if let Some(v) = self.increment {
            add("increment", v.to_string());
        }
        if let Some(v) = self.minvalue {
            add("minvalue", v.to_string());
        }
        if let Some(v) = self.maxvalue {
            add("maxvalue", v.to_string());
        }
        if self.nominvalue {
            add("nominvalue", py_bool(true));
        }
        if self.nomaxvalue {
            add("nomaxvalue", py_bool(true));
        }
        if let Some(v) = self.cycle {
            add("cycle", py_bool(v));
        }
        out.push_str(&after_cycle);
        if let Some(v) = self.cache {
            out.push_str(&format!(", cache={v}"));
        }
        out.push_str(&after_cache);
        out
    }
}

/// `Sequence("name", start=…, …)`, as SQLAlchemy 2.0 `sqlalchemy.Sequence`:
/// a server-side sequence, a column's default on dialects that have them.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub name: String,
    pub options: IdentityOptions,
    /// `optional=True`: only used where the database has no other way to
    /// make keys (PostgreSQL's `SERIAL` is used instead).
    pub optional: bool,
    /// `schema=`: the schema the sequence lives in (`public.s`).
    pub schema: Option<String>,
    /// `data_type=`: the sequence's type (`AS BIGINT`), `None` when not given.
    pub data_type: Option<SqlType>,
    /// `quote=` / `quote_schema=`: `Some(true)` always quotes the name /
    /// schema, `Some(false)` never, `None` as the dialect's rules say.
    pub quote: Option<bool>,
    pub quote_schema: Option<bool>,
    /// `order=`: Oracle's `ORDER`; kept for `repr`, no DDL elsewhere.
    pub order: Option<bool>,
}

impl Sequence {
    /// A sequence named `name` with no options.
    pub fn named(name: &str) -> Sequence {
        Sequence {
            name: name.to_string(),
            options: IdentityOptions::default(),
            optional: false,
            schema: None,
            data_type: None,
            quote: None,
            quote_schema: None,
            order: None,
        }
    }

    /// The name as DDL and `nextval()` write it, schema first
    /// (`public.s`, `"S"`), as `IdentifierPreparer.format_sequence`: each
    /// part quoted when `quote=`/`quote_schema=` say so, else when
    /// `quote` (the dialect's rule) says it must be.
    pub fn qualified_name(&self, quote: impl Fn(&str) -> String) -> String {
        let part = |name: &str, force: Option<bool>| match force {
            Some(true) => format!("\"{}\"", name.replace('"', "\"\"")),
            Some(false) => name.to_string(),
            None => quote(name),
        };
        let name = part(&self.name, self.quote);
        match &self.schema {
            Some(schema) => format!("{}.{name}", part(schema, self.quote_schema)),
            None => name,
        }
    }
}

/// `Identity(always=False, start=…, …)`, as SQLAlchemy 2.0
/// `sqlalchemy.Identity`: PostgreSQL's `GENERATED BY DEFAULT AS IDENTITY`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Identity {
    /// `GENERATED ALWAYS` rather than `BY DEFAULT`.
    pub always: bool,
    pub on_null: Option<bool>,
    pub options: IdentityOptions,
}

impl Identity {
    /// `GENERATED BY DEFAULT AS IDENTITY (START WITH 10)`, as
    /// `PGDDLCompiler.visit_identity_column`.
    pub fn ddl(&self) -> String {
        let mut text = format!(
            "GENERATED {} AS IDENTITY",
            if self.always { "ALWAYS" } else { "BY DEFAULT" }
        );
        let options = self.options.ddl();
        if !options.is_empty() {
            text.push_str(&format!(" ({options})"));
        }
        text
    }
}

/// How the ORM defers a column: `mapped_column(deferred=True,
/// deferred_group="g", deferred_raiseload=True)` or `deferred(Column(...),
/// group="g", raiseload=True)`. SQLAlchemy keeps this on the mapper's
/// `ColumnProperty`; the tutor keeps it on the column it maps one to one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Deferred {
    /// Loaded together with the other columns of the group on access.
    pub group: Option<String>,
    /// Access raises `InvalidRequestError` instead of loading.
    pub raiseload: bool,
}

impl Column {
    /// A nullable column with no options, as `Column(name, type)`.
    pub fn new(name: impl Into<String>, sql_type: SqlType) -> Column {
        Column {
            name: name.into(),
            sql_type,
            primary_key: false,
            nullable: true,
            unique: false,
            index: false,
            foreign_key: None,
            default: None,
            onupdate: None,
            server_default: None,
            deferred: None,
            enum_check: None,
            sequence: None,
            identity: None,
            face: ColumnFace::default(),
        }
    }
}

/// `Index("name", "col", ..., unique=...)` on a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

/// A table-level constraint from `__table_args__` or `Table(...)`.
#[derive(Debug, Clone, PartialEq)]
pub enum TableConstraint {
    /// `UniqueConstraint("a", "b", name=...)`
    Unique {
        name: Option<String>,
        columns: Vec<String>,
    },
    /// `CheckConstraint("price > 0", name=...)`: its SQL text.
    Check { name: Option<String>, sql: String },
}

impl TableConstraint {
    /// The constraint as `CREATE TABLE` writes it:
    /// `CONSTRAINT uq UNIQUE (a, b)`, `CHECK (price > 0)`.
    pub fn ddl(&self, quote: impl Fn(&str) -> String) -> String {
        let (name, body) = match self {
            TableConstraint::Unique { name, columns } => (
                name,
                format!(
                    "UNIQUE ({})",
                    columns
                        .iter()
                        .map(|c| quote(c))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            TableConstraint::Check { name, sql } => (name, format!("CHECK ({sql})")),
        };
        match name {
            Some(n) => format!("CONSTRAINT {} {body}", quote(n)),
            None => body,
        }
    }
}

/// A `Table`: its name and columns in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// Table-level constraints, in the order they were made.
    pub constraints: Vec<TableConstraint>,
    /// `Index(...)` objects declared for the table (column `index=True`
    /// ones are derived from the columns).
    pub indexes: Vec<Index>,
    /// The table's keyword options (`__table_args__`' dict).
    pub options: TableOptions,
}

/// A `Table`'s keyword options that change its DDL or its objects
/// (`Table(..., comment=..., sqlite_autoincrement=True)`, a declarative
/// class's `__table_args__` dict), and the name its
/// `PrimaryKeyConstraint(..., name=...)` gave its primary key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableOptions {
    /// `comment="..."`: `Table.comment`; PostgreSQL sets it with `COMMENT
    /// ON TABLE` after the table's indexes (SQLite keeps no comments).
    pub comment: Option<String>,
    /// `sqlite_autoincrement=True`: on SQLite the single integer
    /// primary-key column is `PRIMARY KEY AUTOINCREMENT` in its own
    /// specification, with no table-level `PRIMARY KEY (…)`.
    pub sqlite_autoincrement: bool,
    /// `PrimaryKeyConstraint(..., name="score_pk")`: `CONSTRAINT score_pk
    /// PRIMARY KEY (…)`, `Table.primary_key.name`.
    pub primary_key_name: Option<String>,
}

impl Table {
    /// A table with no explicit indexes.
    pub fn new(name: impl Into<String>, columns: Vec<Column>) -> Table {
        Table {
            name: name.into(),
            columns,
            constraints: Vec::new(),
            indexes: Vec::new(),
            options: TableOptions::default(),
        }
    }

    /// Every index `create_all()` creates after the table: the columns'
    /// `index=True` ones (`ix_<table>_<column>`), then the declared ones.
    pub fn all_indexes(&self) -> Vec<Index> {
        let mut out: Vec<Index> = self
            .columns
            .iter()
            .filter(|c| c.index)
            .map(|c| Index {
                name: format!("ix_{}_{}", self.name, c.name),
                columns: vec![c.name.clone()],
                unique: c.unique,
            })
            .collect();
        out.extend(self.indexes.iter().cloned());
        out
    }
}

impl Table {
    /// Index of the column named `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Indices of the primary-key columns, in declaration order.
    pub fn primary_key(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| self.columns[i].primary_key)
            .collect()
    }
}

/// Shared handle to a table; tables are compared by pointer in FROM lists.
pub type TableRef = Rc<Table>;

/// A value as the driver sends and returns it: SQLite's five storage
/// classes, and the typed values psycopg2 reads from PostgreSQL's row
/// types (`numeric` as a `Decimal`, `boolean`, `timestamp`, `date`). A
/// Python `Decimal` is bound as [`SqlValue::Numeric`] on both; pysqlite
/// receives it as SQLAlchemy's SQLite `Numeric` sends it ([`SqlValue::pysqlite`]).
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    /// `numeric` (psycopg2 gives a `Decimal`), or a bound `Decimal`.
    Numeric(rust_decimal::Decimal),
    /// PostgreSQL's `boolean` (psycopg2 gives `True`/`False`).
    Bool(bool),
    /// PostgreSQL's `timestamp` (psycopg2 gives a `datetime`).
    Timestamp(chrono::NaiveDateTime),
    /// PostgreSQL's `date` (psycopg2 gives a `date`).
    Date(chrono::NaiveDate),
    /// PostgreSQL's `time`, or a bound `datetime.time` (psycopg2 gives and
    /// takes a `time`; pysqlite gets SQLAlchemy's `HH:MM:SS.ffffff` text).
    Time(chrono::NaiveTime),
    /// A PostgreSQL array read from a result (`text[]`, `int2vector` …;
    /// psycopg2 gives a `list`); never bound.
    Array(Vec<SqlValue>),
    /// A Python `int` past 64 bits, bound: pysqlite refuses it
    /// (`OverflowError`), psycopg2 writes it as a `numeric` literal; also
    /// a PostgreSQL `numeric` result past the 28 digits of
    /// [`SqlValue::Numeric`] with no fraction, read as a `Decimal`.
    BigInt(Box<num_bigint::BigInt>),
}

impl SqlValue {
    /// The value as pysqlite gets it from SQLAlchemy's SQLite types: a
    /// `Decimal` through `Numeric`'s `to_float` bind processor, booleans as
    /// 1/0, datetimes as their storage text.
    pub fn pysqlite(&self) -> std::borrow::Cow<'_, SqlValue> {
        use std::borrow::Cow;
        match self {
            SqlValue::Numeric(d) => {
                Cow::Owned(SqlValue::Real(d.to_string().parse().unwrap_or(0.0)))
            }
            SqlValue::Bool(b) => Cow::Owned(SqlValue::Integer(*b as i64)),
            SqlValue::Timestamp(dt) => Cow::Owned(SqlValue::Text(
                dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
            )),
            SqlValue::Date(d) => Cow::Owned(SqlValue::Text(d.format("%Y-%m-%d").to_string())),
            SqlValue::Time(t) => Cow::Owned(SqlValue::Text(crate::python::types::time::storage(t))),
            other => Cow::Borrowed(other),
        }
    }
}
