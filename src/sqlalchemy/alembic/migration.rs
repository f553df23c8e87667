//! Alembic's autogenerate API as a script calls it:
//! `from alembic.migration import MigrationContext`,
//! `MigrationContext.configure(conn)`, and
//! `from alembic.autogenerate import compare_metadata, produce_migrations,
//! render_python_code` (`alembic/autogenerate/api.py`). The reflection runs
//! on the learner's `Connection` (its autobegin logs `BEGIN`), and the
//! comparison is [`super::compare`]'s.

use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::schema_items::SchemaItem;
use crate::python::object::{PyObject, downcast};
use crate::python::{ExcType, PyErr, PyResult, Value};
use crate::sql::compiler::Compiled;
use crate::sql::schema::{Column, Table};
use crate::sqlalchemy::connection::Connection;

use super::autogenerate::{AgType, MigrateOp, RenderColumn, render_python_code};
use super::compare::{self, Diff};
use super::ddl::ConstraintSpec;
use super::reflection::{ReflectedTable, Rows, Runner};

/// The functions of `alembic.autogenerate` the tutor has.
pub const AUTOGENERATE_FUNCTIONS: &[&str] = &[
    "compare_metadata",
    "produce_migrations",
    "render_python_code",
];

/// The module `alembic.autogenerate`: its functions are bound methods of
/// this receiver.
#[derive(Debug)]
pub struct AutogenerateModule;

impl PyObject for AutogenerateModule {
    fn type_name(&self) -> String {
        "module".into()
    }
    fn repr(&self) -> String {
        "<module 'alembic.autogenerate'>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The class `MigrationContext` (its `configure` classmethod).
#[derive(Debug)]
pub struct MigrationContextClass;

impl PyObject for MigrationContextClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'alembic.runtime.migration.MigrationContext'>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `MigrationContext.configure(conn)`: a migration context on the
/// learner's connection.
#[derive(Debug)]
pub struct MigrationContext {
    pub conn: Rc<Connection>,
}

impl PyObject for MigrationContext {
    fn type_name(&self) -> String {
        "MigrationContext".into()
    }
    fn repr(&self) -> String {
        format!(
            "<alembic.runtime.migration.MigrationContext object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl Runner for MigrationContext {
    fn rows(&self, compiled: &Compiled) -> PyResult<Rows> {
        self.conn.autobegin()?;
        self.conn
            .executor
            .db
            .query(compiled, crate::outcome::Cause::Query)
            .map_err(|e| crate::orm::session::db_error(e, Some(compiled)))
    }
}

/// `produce_migrations()`'s `MigrationScript`, or one of its
/// `UpgradeOps` / `DowngradeOps` (`ops` set).
#[derive(Debug)]
pub struct MigrationScript {
    pub upgrade: Rc<OpsList>,
    pub downgrade: Rc<OpsList>,
}

impl PyObject for MigrationScript {
    fn type_name(&self) -> String {
        "MigrationScript".into()
    }
    fn repr(&self) -> String {
        format!(
            "<alembic.operations.ops.MigrationScript object at {}>",
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `UpgradeOps` or `DowngradeOps`: operations `render_python_code` renders.
#[derive(Debug)]
pub struct OpsList {
    pub upgrade: bool,
    pub ops: Vec<MigrateOp>,
}

impl PyObject for OpsList {
    fn type_name(&self) -> String {
        if self.upgrade {
            "UpgradeOps"
        } else {
            "DowngradeOps"
        }
        .into()
    }
    fn repr(&self) -> String {
        format!(
            "<alembic.operations.ops.{} object at {}>",
            self.type_name(),
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// A schema object of a diff tuple, shown by its SQLAlchemy `repr()`
/// (`Column('age', Integer(), table=<users>)`, `VARCHAR(length=100)`).
#[derive(Debug)]
pub struct SchemaRepr {
    pub type_name: String,
    pub repr: String,
    /// `.name`, for the objects that have one.
    pub name: Option<String>,
}

impl PyObject for SchemaRepr {
    fn type_name(&self) -> String {
        self.type_name.clone()
    }
    fn repr(&self) -> String {
        self.repr.clone()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `import_from` for `alembic.migration` / `alembic.runtime.migration`
/// and `alembic.autogenerate`; `None` for other modules.
pub fn import_from(module: &str, name: &str) -> Option<PyResult<Value>> {
    match (module, name) {
        ("alembic.migration" | "alembic.runtime.migration", "MigrationContext") => {
            Some(Ok(Value::native(MigrationContextClass)))
        }
        ("alembic.autogenerate", n) if AUTOGENERATE_FUNCTIONS.contains(&n) => {
            Some(Ok(Value::Method(Rc::new(crate::python::value::Method {
                receiver: Value::native(AutogenerateModule),
                name: n.to_string(),
            }))))
        }
        ("alembic.migration" | "alembic.runtime.migration" | "alembic.autogenerate", n) => {
            Some(Err(PyErr::unsupported(format!("'{n}' from '{module}'"))))
        }
        _ => None,
    }
}

/// Whether `v` is one of this module's objects.
pub fn is_migration_object(v: &Value) -> bool {
    let Value::Native(n) = v else { return false };
    let any = n.clone().into_any();
    any.is::<AutogenerateModule>()
        || any.is::<MigrationContextClass>()
        || any.is::<MigrationContext>()
        || any.is::<MigrationScript>()
        || any.is::<OpsList>()
        || any.is::<SchemaRepr>()
}

/// An attribute of one of this module's objects: `MigrationContext.configure`,
/// `script.upgrade_ops`, `script.downgrade_ops`, `ops.ops` (as its
/// rendered lines' count is not Python's, only `len()`-free uses), `.name`.
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    let Value::Native(n) = obj else { return None };
    let method = || {
        Ok(Value::Method(Rc::new(crate::python::value::Method {
            receiver: obj.clone(),
            name: name.to_string(),
        })))
    };
    if downcast::<MigrationContextClass>(n).is_some() {
        return Some(match name {
            "configure" => method(),
            _ => Err(no_attr("type object 'MigrationContext'", name)),
        });
    }
    if let Some(s) = downcast::<MigrationScript>(n) {
        return Some(match name {
            "upgrade_ops" => Ok(Value::Native(s.upgrade.clone())),
            "downgrade_ops" => Ok(Value::Native(s.downgrade.clone())),
            _ => Err(no_attr("'MigrationScript' object", name)),
        });
    }
    if let Some(r) = downcast::<SchemaRepr>(n) {
        return Some(match (&r.name, name) {
            (Some(v), "name") => Ok(Value::str(v)),
            _ => Err(no_attr(&format!("'{}' object", r.type_name), name)),
        });
    }
    if downcast::<MigrationContext>(n).is_some() {
        return Some(Err(PyErr::unsupported(format!(
            "the attribute '{name}' of MigrationContext"
        ))));
    }
    if downcast::<OpsList>(n).is_some() {
        return Some(Err(PyErr::unsupported(format!(
            "the attribute '{name}' of {}",
            obj.type_name()
        ))));
    }
    None
}

fn no_attr(what: &str, name: &str) -> PyErr {
    PyErr::new(
        ExcType::AttributeError,
        format!("{what} has no attribute '{name}'"),
    )
}

/// Calls `MigrationContext.configure(...)` or an `alembic.autogenerate`
/// function; `None` when `obj` is not their receiver.
pub fn call_method(
    interp: &mut Interpreter,
    obj: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> Option<PyResult<Value>> {
    let Value::Native(n) = obj else { return None };
    if downcast::<MigrationContextClass>(n).is_some() {
        if name != "configure" {
            return Some(Err(no_attr("type object 'MigrationContext'", name)));
        }
        return Some(configure(args, kwargs));
    }
    if downcast::<AutogenerateModule>(n).is_some() {
        return Some(autogenerate_call(interp, name, args, kwargs));
    }
    None
}

/// `MigrationContext.configure(connection)`.
fn configure(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let sig = crate::python::Signature::function(
        "configure",
        &[
            "connection=None",
            "url=!",
            "dialect_name=!",
            "dialect=!",
            "environment_context=!",
            "dialect_opts=!",
            "opts=!",
        ],
    );
    let b = sig.bind_as("MigrationContext.configure", args, kwargs)?;
    match b.get("connection") {
        Some(v) => match crate::sqlalchemy::connection::as_connection(v) {
            Some(conn) => Ok(Value::native(MigrationContext { conn })),
            None => Err(PyErr::unsupported(format!(
                "MigrationContext.configure() on a {} (give it a Connection: engine.connect())",
                v.type_name()
            ))),
        },
        None => Err(PyErr::unsupported(
            "MigrationContext.configure() without a connection",
        )),
    }
}

fn autogenerate_call(
    _interp: &mut Interpreter,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    match name {
        "compare_metadata" => {
            let sig =
                crate::python::Signature::function("compare_metadata", &["context", "metadata"]);
            let b = sig.bind(args, kwargs)?;
            let diffs = diff(b.required("context")?, b.required("metadata")?)?;
            Ok(Value::list(diff_values(&diffs)))
        }
        "produce_migrations" => {
            let sig =
                crate::python::Signature::function("produce_migrations", &["context", "metadata"]);
            let b = sig.bind(args, kwargs)?;
            let diffs = diff(b.required("context")?, b.required("metadata")?)?;
            Ok(Value::native(MigrationScript {
                upgrade: Rc::new(OpsList {
                    upgrade: true,
                    ops: compare::upgrade_ops(&diffs),
                }),
                downgrade: Rc::new(OpsList {
                    upgrade: false,
                    ops: compare::downgrade_ops(&diffs),
                }),
            }))
        }
        "render_python_code" => {
            let sig = crate::python::Signature::function(
                "render_python_code",
                &[
                    "up_or_down_op",
                    "sqlalchemy_module_prefix='sa.'",
                    "alembic_module_prefix='op.'",
                    "render_as_batch=!",
                    "imports=!",
                    "render_item=!",
                    "migration_context=!",
                    "user_module_prefix=!",
                ],
            );
            let b = sig.bind(args, kwargs)?;
            let v = b.required("up_or_down_op")?;
            for (param, default) in [
                ("sqlalchemy_module_prefix", "sa."),
                ("alembic_module_prefix", "op."),
            ] {
                if let Some(p) = b.given(param)
                    && !matches!(p, Value::Str(s) if &**s == default)
                {
                    return Err(PyErr::unsupported(format!(
                        "{param} other than '{default}'"
                    )));
                }
            }
            let Value::Native(n) = v else {
                return Err(render_type_error(v));
            };
            let Some(ops) = downcast::<OpsList>(n) else {
                return Err(render_type_error(v));
            };
            Ok(Value::str(&render_python_code(&ops.ops)))
        }
        _ => Err(no_attr("module 'alembic.autogenerate'", name)),
    }
}

/// Alembic fails on `up_or_down_op.ops` for what is not an ops list.
fn render_type_error(v: &Value) -> PyErr {
    PyErr::new(
        ExcType::AttributeError,
        format!("'{}' object has no attribute 'ops'", v.type_name()),
    )
}

/// The comparison for `compare_metadata` / `produce_migrations`.
fn diff(context: &Value, metadata: &Value) -> PyResult<Vec<Diff>> {
    let ctx = match context {
        Value::Native(n) => downcast::<MigrationContext>(n),
        _ => None,
    }
    .ok_or_else(|| {
        PyErr::new(
            ExcType::AttributeError,
            format!("'{}' object has no attribute 'opts'", context.type_name()),
        )
    })?;
    let tables = metadata_tables(metadata)?;
    let postgresql = ctx.conn.executor.db.dialect().name == "postgresql";
    let reflected = compare::reflect_database(&*ctx, postgresql, &tables)?;
    Ok(compare::compare(&reflected, &tables))
}

/// The tables of `Base.metadata` / a `MetaData()`, in `sorted_tables` order.
///
/// Errors: `AttributeError` as Alembic's for what is not a `MetaData`.
pub fn metadata_tables(metadata: &Value) -> PyResult<Vec<Table>> {
    if let Value::Native(n) = metadata
        && let Some(item) = downcast::<SchemaItem>(n)
        && let SchemaItem::Metadata(r) = &*item
    {
        return Ok(r
            .tables_in_dependency_order()
            .iter()
            .map(|t| (**t).clone())
            .collect());
    }
    Err(PyErr::new(
        ExcType::AttributeError,
        format!(
            "'{}' object has no attribute 'sorted_tables'",
            metadata.type_name()
        ),
    ))
}

fn schema_repr(type_name: &str, repr: String, name: Option<&str>) -> Value {
    Value::native(SchemaRepr {
        type_name: type_name.into(),
        repr,
        name: name.map(str::to_string),
    })
}

fn type_value(t: &AgType) -> Value {
    let repr = t.repr();
    let type_name = repr.split('(').next().unwrap_or("").to_string();
    schema_repr(&type_name, repr, None)
}

/// `Column('age', Integer(), table=<users>)`, as SQLAlchemy's `repr()`.
fn column_repr(table: &str, c: &RenderColumn, primary_key: bool, fk: Option<String>) -> String {
    let mut s = format!(
        "Column({}, {}",
        super::autogenerate::py_str(&c.name),
        c.sql_type.repr()
    );
    if let Some(fk) = fk {
        s.push_str(&format!(
            ", ForeignKey({})",
            super::autogenerate::py_str(&fk)
        ));
    }
    s.push_str(&format!(", table=<{table}>"));
    if primary_key {
        s.push_str(", primary_key=True");
    }
    if !c.nullable {
        s.push_str(", nullable=False");
    }
    s.push(')');
    s
}

fn meta_column_repr(table: &str, c: &Column) -> String {
    let rc = RenderColumn {
        name: c.name.clone(),
        sql_type: AgType::Meta(c.sql_type.clone()),
        nullable: c.nullable && !c.primary_key,
        server_default: None,
        autoincrement: None,
    };
    column_repr(
        table,
        &rc,
        c.primary_key,
        c.foreign_key
            .as_ref()
            .map(|fk| format!("{}.{}", fk.table, fk.column)),
    )
}

fn table_repr(name: &str, columns: Vec<String>) -> String {
    let mut parts = vec![super::autogenerate::py_str(name), "MetaData()".to_string()];
    parts.extend(columns);
    parts.push("schema=None".into());
    format!("Table({})", parts.join(", "))
}

fn reflected_table_repr(t: &ReflectedTable) -> String {
    let columns = t
        .columns
        .iter()
        .map(|c| {
            let rc = RenderColumn {
                name: c.name.clone(),
                sql_type: AgType::Reflected(c.type_sql.clone()),
                nullable: c.nullable && !t.primary_key.contains(&c.name),
                server_default: None,
                autoincrement: None,
            };
            let fk = t.constraints.iter().find_map(|k| match k {
                ConstraintSpec::ForeignKey {
                    columns,
                    referred_table,
                    referred_columns,
                    ..
                } if columns.len() == 1 && columns[0] == c.name => {
                    Some(format!("{referred_table}.{}", referred_columns.join(",")))
                }
                _ => None,
            });
            column_repr(&t.name, &rc, t.primary_key.contains(&c.name), fk)
        })
        .collect();
    table_repr(&t.name, columns)
}

fn index_repr(table: &str, i: &compare::MetaIndex, column_of: &dyn Fn(&str) -> String) -> String {
    let mut parts = vec![super::autogenerate::py_str(&i.name.name)];
    let _ = table;
    parts.extend(i.columns.iter().map(|c| column_of(c)));
    if i.unique {
        parts.push("unique=True".into());
    }
    format!("Index({})", parts.join(", "))
}

fn object_repr(class: &str) -> String {
    format!("<sqlalchemy.sql.schema.{class} object at 0x7f0000000000>")
}

/// `compare_metadata()`'s list: a tuple per difference, a list of
/// `modify_*` tuples per changed column.
fn diff_values(diffs: &[Diff]) -> Vec<Value> {
    let none = Value::None;
    diffs
        .iter()
        .map(|d| match d {
            Diff::AddTable(t) => Value::tuple(vec![
                Value::str("add_table"),
                schema_repr(
                    "Table",
                    table_repr(
                        &t.name,
                        t.columns
                            .iter()
                            .map(|c| meta_column_repr(&t.name, c))
                            .collect(),
                    ),
                    Some(&t.name),
                ),
            ]),
            Diff::RemoveTable(t) => Value::tuple(vec![
                Value::str("remove_table"),
                schema_repr("Table", reflected_table_repr(t), Some(&t.name)),
            ]),
            Diff::AddColumn(t, c) | Diff::RemoveColumn(t, c) => Value::tuple(vec![
                Value::str(d.kind()),
                none.clone(),
                Value::str(t),
                schema_repr("Column", column_repr(t, c, false, None), Some(&c.name)),
            ]),
            Diff::AlterColumn {
                table,
                column,
                existing_type,
                existing_nullable,
                existing_server_default,
                type_,
                nullable,
            } => {
                let default = match existing_server_default {
                    Some(d) => Value::str(d),
                    None => Value::Bool(false),
                };
                let mut items = Vec::new();
                if let Some(t) = type_ {
                    items.push(Value::tuple(vec![
                        Value::str("modify_type"),
                        none.clone(),
                        Value::str(table),
                        Value::str(column),
                        Value::Dict(Rc::new(std::cell::RefCell::new(
                            crate::python::value::DictObj::new(vec![
                                (
                                    Value::str("existing_nullable"),
                                    Value::Bool(*existing_nullable),
                                ),
                                (Value::str("existing_server_default"), default.clone()),
                                (Value::str("existing_comment"), none.clone()),
                            ]),
                        ))),
                        type_value(existing_type),
                        type_value(t),
                    ]));
                }
                if let Some(n) = nullable {
                    items.push(Value::tuple(vec![
                        Value::str("modify_nullable"),
                        none.clone(),
                        Value::str(table),
                        Value::str(column),
                        Value::Dict(Rc::new(std::cell::RefCell::new(
                            crate::python::value::DictObj::new(vec![
                                (Value::str("existing_type"), type_value(existing_type)),
                                (Value::str("existing_server_default"), default),
                                (Value::str("existing_comment"), none.clone()),
                            ]),
                        ))),
                        Value::Bool(*existing_nullable),
                        Value::Bool(*n),
                    ]));
                }
                Value::list(items)
            }
            Diff::AddIndex(t, i) | Diff::RemoveIndex(t, i) => {
                let col =
                    |c: &str| format!("Column({}, table=<{t}>)", super::autogenerate::py_str(c));
                Value::tuple(vec![
                    Value::str(d.kind()),
                    schema_repr("Index", index_repr(t, i, &col), Some(&i.name.name)),
                ])
            }
            Diff::AddUnique(_, name, _) | Diff::RemoveUnique(_, name, _, _) => Value::tuple(vec![
                Value::str(d.kind()),
                schema_repr(
                    "UniqueConstraint",
                    object_repr("UniqueConstraint"),
                    name.as_ref().map(|n| n.name.as_str()),
                ),
            ]),
            Diff::AddForeignKey(_, fk) | Diff::RemoveForeignKey(_, fk) => Value::tuple(vec![
                Value::str(d.kind()),
                schema_repr(
                    "ForeignKeyConstraint",
                    object_repr("ForeignKeyConstraint"),
                    fk.name.as_ref().map(|n| n.name.as_str()),
                ),
            ]),
        })
        .collect()
}

/// A new revision id as Alembic makes one (`util.rev_id()`: the last 12
/// hex digits of a random UUID).
pub fn rev_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

/// The REPL's `.autogenerate [-m MESSAGE] [--rev-id ID]`: the revision
/// file `alembic revision --autogenerate -m MESSAGE` writes for the models
/// in scope (every table of the interpreter's `MetaData`) against the
/// database, then a note on what autogenerate cannot see. The file becomes
/// the session's new head revision (as Alembic writes it into
/// `versions/`), which `.upgrade` runs. The reflection queries go to the
/// session's database as Alembic's `env.py` sends them, and are not shown.
///
/// Errors: `Ok(Err(CommandError))` as Alembic's `FAILED: Target database
/// is not up to date.` when the head revision has not run; the database's
/// error, as SQLAlchemy's `OperationalError`; `ValueError` for a bad
/// `rev_id`.
pub fn autogenerate_revision(
    interp: &mut Interpreter,
    message: Option<&str>,
    rev_id: Option<&str>,
) -> PyResult<Result<String, super::revision::CommandError>> {
    use super::revision::{self, CommandError};
    if interp.db.dialect().name != "sqlite" {
        return Err(PyErr::unsupported(
            ".autogenerate on PostgreSQL (its reflection is SQLite's)",
        ));
    }
    let applied = match revision::applied_position(interp) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    if applied != interp.revisions.len().checked_sub(1) {
        return Ok(Err(CommandError(
            "Target database is not up to date.".into(),
        )));
    }
    let id = revision::new_id(interp, rev_id)?;
    let tables: Vec<Table> = interp
        .registry
        .tables_in_dependency_order()
        .iter()
        .map(|t| (**t).clone())
        .collect();
    let runner = super::Operations::connect(interp)?;
    let postgresql = runner.db.dialect().name == "postgresql";
    let reflected = compare::reflect_database(&runner, postgresql, &tables);
    // the reflection is Alembic's own business, not the learner's step
    let _ = interp.db.take_events();
    let diffs = compare::compare(&reflected?, &tables);
    let date = chrono::Local::now()
        .format("%Y-%m-%d %H:%M:%S%.6f")
        .to_string();
    let message = message.unwrap_or("empty message");
    let down = revision::head(&interp.revisions).map(str::to_string);
    let mut text = super::autogenerate::revision_script(
        message,
        &id,
        down.as_deref(),
        &date,
        &compare::upgrade_ops(&diffs),
        &compare::downgrade_ops(&diffs),
    );
    revision::add_generated(interp, &id, message, &text)?;
    text.push('\n');
    text.push_str(&review_note(&diffs));
    text.push_str(&format!(
        "# Added as revision {id}: `.upgrade` runs it. To change it first, define your own \
         upgrade()/downgrade() and `.revision --edit`.\n"
    ));
    Ok(Ok(text))
}

/// What to review in a generated migration (Alembic's docs, "What does
/// Autogenerate Detect (and what does it not detect?)"): a column dropped
/// and one added on the same table may be a rename; a NOT NULL column
/// added to a table with rows needs a server default; server defaults are
/// not compared.
pub fn review_note(diffs: &[Diff]) -> String {
    let mut lines = Vec::new();
    if diffs.is_empty() {
        lines.push("# No changes detected: the models and the database agree.".to_string());
    }
    for d in diffs {
        if let Diff::RemoveColumn(t, gone) = d {
            for a in diffs {
                if let Diff::AddColumn(t2, new) = a
                    && t2 == t
                {
                    lines.push(format!(
                        "# Review: {t}.{} dropped and {t}.{} added. If it is a rename, autogenerate cannot tell: \
                         write op.alter_column({}, {}, new_column_name={}) to keep the data.",
                        gone.name,
                        new.name,
                        super::autogenerate::py_str(t),
                        super::autogenerate::py_str(&gone.name),
                        super::autogenerate::py_str(&new.name)
                    ));
                }
            }
        }
        if let Diff::AddColumn(t, c) = d
            && !c.nullable
            && c.server_default.is_none()
        {
            lines.push(format!(
                "# Review: {t}.{} is NOT NULL without a server_default: adding it fails on a table that has rows.",
                c.name
            ));
        }
    }
    lines.push(
        "# Autogenerate does not compare server defaults, and sees a renamed column as a drop plus an add; \
         on SQLite, alter_column and constraints need `with op.batch_alter_table(...)`."
            .to_string(),
    );
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, nullable: bool) -> RenderColumn {
        RenderColumn {
            name: name.into(),
            sql_type: AgType::Meta(crate::sql::schema::SqlType::Integer),
            nullable,
            server_default: None,
            autoincrement: None,
        }
    }

    /// A drop plus an add on one table is pointed out as a possible
    /// rename; a NOT NULL column without a server default as one that
    /// fails on a table with rows.
    #[test]
    fn the_review_note_points_at_what_autogenerate_cannot_see() {
        let diffs = [
            Diff::AddColumn("users".into(), column("years", false)),
            Diff::RemoveColumn("users".into(), column("age", true)),
        ];
        let note = review_note(&diffs);
        assert!(
            note.contains("# Review: users.age dropped and users.years added. If it is a rename, autogenerate cannot tell: write op.alter_column('users', 'age', new_column_name='years') to keep the data."),
            "{note}"
        );
        assert!(
            note.contains("# Review: users.years is NOT NULL without a server_default"),
            "{note}"
        );
        assert!(review_note(&[]).starts_with("# No changes detected"));
        assert_eq!(rev_id().len(), 12);
    }
}
