//! `op.…`: Alembic 1.x's `Operations` methods with their signatures, each
//! sending what Alembic sends on SQLite outside batch mode
//! (`alembic/operations/ops.py`, `alembic/ddl/sqlite.py`): plain `ALTER
//! TABLE` for columns and renames, SQLite's own error for the `ALTER COLUMN`
//! it lacks, and Alembic's `NotImplementedError` for constraints.

use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::outcome::Cause;
use crate::python::object::downcast;
use crate::python::{Bound, ExcType, PyErr, PyResult, Value};
use crate::sql::schema::{Column, Table};
use crate::sqlalchemy::method::Method;

use super::Operations;
use super::constructs::{column_of, column_spec, constraint_of};
use super::ddl::{self, AlterColumn, ConstraintSpec, TableSpec};

/// Alembic's message for a constraint operation outside batch mode on
/// SQLite (`SQLiteImpl.add_constraint` / `drop_constraint`).
pub const NO_ALTER_CONSTRAINT: &str = "No support for ALTER of constraints in SQLite dialect. \
Please refer to the batch mode feature which allows for SQLite migrations using a copy-and-move strategy.";

pub(super) fn string(v: &Value, what: &str) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(PyErr::unsupported(format!(
            "{what} given as {} (give it as a string)",
            other.type_name()
        ))),
    }
}

pub(super) fn strings(v: &Value, what: &str) -> PyResult<Vec<String>> {
    match v {
        Value::List(l) => l.items.borrow().iter().map(|x| string(x, what)).collect(),
        Value::Tuple(t) => t.iter().map(|x| string(x, what)).collect(),
        other => Ok(vec![string(other, what)?]),
    }
}

pub(super) fn column_arg(v: &Value) -> PyResult<Column> {
    column_of(v).ok_or_else(|| {
        PyErr::new(
            ExcType::AttributeError,
            format!("'{}' object has no attribute 'name'", v.type_name()),
        )
    })
}

fn dialect(op: &Operations) -> &'static crate::sql::dialect::Dialect {
    op.db.dialect()
}

/// `op.create_table(name, *columns)`: the table's DDL; the `Table`.
fn create_table(op: &Operations, b: &Bound) -> PyResult<Value> {
    let name = string(b.required("table_name")?, "the table name")?;
    let mut spec = TableSpec {
        name: name.clone(),
        ..Default::default()
    };
    let mut columns = Vec::new();
    let mut own: Vec<ConstraintSpec> = Vec::new();
    for a in &b.varargs {
        if let Some(c) = column_of(a) {
            column_constraints(&c, &mut own);
            spec.columns.push(column_spec(&c, dialect(op)));
            columns.push(c);
        } else if let Some(c) = constraint_of(a) {
            own.push(c);
        } else {
            return Err(PyErr::unsupported(format!(
                "{} in op.create_table()",
                a.type_name()
            )));
        }
    }
    let pk: Vec<String> = columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.clone())
        .collect();
    if !pk.is_empty() {
        spec.constraints.push(ConstraintSpec::PrimaryKey {
            name: None,
            columns: pk,
        });
    }
    spec.constraints.extend(own);
    create_enum_types(op, &columns)?;
    op.exec_ddl(&ddl::create_table(&spec, dialect(op)))?;
    let table = Table::new(name, columns);
    for i in table.all_indexes() {
        op.exec_ddl(&ddl::create_index(
            &i.name,
            &table.name,
            &i.columns,
            i.unique,
            dialect(op),
        ))?;
    }
    Ok(Value::Native(Rc::new(table)))
}

/// On PostgreSQL, `CREATE TYPE … AS ENUM (…)` for each native `Enum` of
/// the columns, before the `CREATE TABLE`, as the table's `before_create`
/// event makes it in Alembic's `create_table` (no `checkfirst`): a type
/// name once per migration context (the `memo` of Alembic's impl), so a
/// table created again after `op.drop_table` (which leaves the type)
/// reuses it.
///
/// Errors: `CompileError` for a native `Enum` with no name, as
/// SQLAlchemy's; the database's.
fn create_enum_types(op: &Operations, columns: &[Column]) -> PyResult<()> {
    use crate::sql::schema::{NativeEnum, SqlType};
    let d = dialect(op);
    if d.statement_compiler != crate::sql::dialect::StatementCompiler::PostgreSQL {
        return Ok(());
    }
    for c in columns {
        let SqlType::Enum(labels, _, native) = &c.sql_type else {
            continue;
        };
        match native {
            NativeEnum::Off => {}
            NativeEnum::Unnamed => {
                return Err(PyErr::new(
                    ExcType::CompileError,
                    "PostgreSQL ENUM type requires a name.",
                ));
            }
            NativeEnum::Named(name) => {
                if op.memo.borrow_mut().insert(name.clone()) {
                    op.exec_ddl(&crate::sql::ddl::create_enum_type(name, labels, d))?;
                }
            }
        }
    }
    Ok(())
}

/// A column's own `unique=True` and `ForeignKey(...)`, as constraints.
fn column_constraints(c: &Column, out: &mut Vec<ConstraintSpec>) {
    if c.unique && !c.index {
        out.push(ConstraintSpec::Unique {
            name: None,
            columns: vec![c.name.clone()],
        });
    }
    if let Some(fk) = &c.foreign_key {
        out.push(ConstraintSpec::ForeignKey {
            name: None,
            columns: vec![c.name.clone()],
            referred_table: fk.table.clone(),
            referred_columns: vec![fk.column.clone()],
            ondelete: fk.ondelete.clone(),
        });
    }
}

/// `op.alter_column(...)`'s changes from its arguments.
pub(super) fn alter_of(b: &Bound) -> PyResult<AlterColumn> {
    let mut a = AlterColumn::default();
    if let Some(n) = b.given("nullable") {
        a.nullable = Some(n.truthy());
    }
    if let Some(t) = b.given("type_") {
        let ty = crate::sqlalchemy::schema::type_of(t)
            .ok_or_else(|| PyErr::unsupported(format!("type_={}", t.type_name())))?;
        a.type_sql = Some(ty.ddl());
    }
    if let Some(n) = b.given("new_column_name") {
        a.new_name = Some(string(n, "new_column_name")?);
    }
    match b.get("server_default") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::None) => a.server_default = Some(None),
        Some(Value::Str(s)) => {
            a.server_default = Some(Some(format!("'{}'", s.replace('\'', "''"))))
        }
        Some(other) => {
            return Err(PyErr::unsupported(format!(
                "server_default={}",
                other.type_name()
            )));
        }
    }
    Ok(a)
}

fn alter_column(op: &Operations, b: &Bound) -> PyResult<Value> {
    let table = string(b.required("table_name")?, "the table name")?;
    let column = string(b.required("column_name")?, "the column name")?;
    let a = alter_of(b)?;
    for sql in ddl::alter_column(&table, &column, &a, dialect(op)) {
        exec_alter(op, &sql)?;
    }
    Ok(Value::None)
}

/// One statement of `alter_column`. SQLite before 3.52 has no `ALTER
/// COLUMN`: the statement is logged and fails as Python 3.11's SQLite
/// (3.40) fails it, whatever the bundled SQLite would accept.
pub(super) fn exec_alter(op: &Operations, sql: &str) -> PyResult<()> {
    if !sql.contains(" ALTER COLUMN ") || dialect(op).name != "sqlite" {
        return op.exec_ddl(sql);
    }
    op.autobegin()?;
    let compiled = crate::sql::compiler::Compiled::text(sql);
    op.db.log_unsent(&compiled, Cause::Query);
    Err(crate::orm::session::db_error(
        crate::engine::DbError::sqlite("OperationalError", "near \"ALTER\": syntax error"),
        Some(&compiled),
    ))
}

/// `op.execute(sql)`: a string or `text()` as textual SQL, or a Core
/// statement (`t.update()…`), on Alembic's connection.
fn execute(op: &Operations, v: &Value) -> PyResult<Value> {
    op.autobegin()?;
    let dialect = dialect(op);
    let compiled = match v {
        Value::Str(s) => crate::sql::compiler::compile_text(s, &[], dialect).0,
        Value::Native(n) if let Some(t) = downcast::<crate::sql::elements::TextClause>(n) => {
            crate::sql::compiler::compile_text(&t.text, &t.binds, dialect).0
        }
        Value::Native(n) if let Some(d) = downcast::<crate::orm::bulk::DmlStatement>(n) => {
            d.compile(dialect)?
        }
        other => {
            return Err(PyErr::unsupported(format!(
                "op.execute() of {}",
                other.type_name()
            )));
        }
    };
    let db_err = |e| crate::orm::session::db_error(e, Some(&compiled));
    if compiled
        .sql
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("SELECT")
    {
        op.db.query(&compiled, Cause::Query).map_err(db_err)?;
    } else {
        op.db.execute(&compiled, Cause::Query).map_err(db_err)?;
    }
    Ok(Value::None)
}

/// `op.bulk_insert(table, rows)`: one `INSERT` over the first row's keys
/// in the table's column order, sent with `executemany` for several rows
/// (Alembic's `DefaultImpl.bulk_insert` with `multiinsert=True`).
fn bulk_insert(op: &Operations, b: &Bound) -> PyResult<Value> {
    let table = match b.required("table")? {
        Value::Native(n) if let Some(t) = downcast::<Table>(n) => t,
        other => {
            return Err(PyErr::unsupported(format!(
                "op.bulk_insert() into {} (give a sa.table(...) or op.create_table(...))",
                other.type_name()
            )));
        }
    };
    let rows = match b.required("rows")? {
        Value::List(l) => l.items.borrow().clone(),
        other => {
            return Err(PyErr::unsupported(format!(
                "op.bulk_insert() rows given as {}",
                other.type_name()
            )));
        }
    };
    let Some(first) = rows.first() else {
        return Ok(Value::None);
    };
    op.autobegin()?;
    super::batch::insert_rows(op, &table, first, &rows)?;
    Ok(Value::None)
}

/// A constraint operation outside batch mode on SQLite: Alembic's error.
pub(super) fn no_constraints(_op: &Operations) -> PyResult<Value> {
    Err(PyErr::new(
        ExcType::NotImplementedError,
        NO_ALTER_CONSTRAINT,
    ))
}

/// `op.create_unique_constraint()` / `op.create_foreign_key()`: `ALTER
/// TABLE t ADD CONSTRAINT …` on Alembic's connection (Alembic's
/// `add_constraint`); on SQLite, Alembic's `NotImplementedError`.
pub(super) fn add_constraint(op: &Operations, table: &str, c: &ConstraintSpec) -> PyResult<Value> {
    if dialect(op).name == "sqlite" {
        return no_constraints(op);
    }
    op.exec_ddl(&ddl::add_constraint(table, c, dialect(op)))?;
    Ok(Value::None)
}

/// Alembic's `op.f("name")`: the name, marked final (a `conv` string).
fn f(b: &Bound) -> PyResult<Value> {
    Ok(b.required("name")?.clone())
}

/// `Operations`' methods, with Alembic 1.x's signatures.
pub static OPERATIONS: &[Method<Rc<Operations>>] = &[
    Method {
        name: "add_column",
        params: &["table_name", "column", "*", "schema=!", "if_not_exists=!"],
        call: |_, op, b| {
            let table = string(b.required("table_name")?, "the table name")?;
            let c = column_arg(b.required("column")?)?;
            // Alembic's `add_column` fires no table events: a native
            // `Enum`'s type is not created
            op.exec_ddl(&ddl::add_column(
                &table,
                &column_spec(&c, dialect(op)),
                dialect(op),
            ))?;
            Ok(Value::None)
        },
    },
    Method {
        name: "drop_column",
        params: &["table_name", "column_name", "*", "schema=!", "**kw"],
        call: |_, op, b| {
            let table = string(b.required("table_name")?, "the table name")?;
            let column = string(b.required("column_name")?, "the column name")?;
            op.exec_ddl(&ddl::drop_column(&table, &column, dialect(op)))?;
            Ok(Value::None)
        },
    },
    Method {
        name: "create_table",
        params: &["table_name", "*columns", "**kw"],
        call: |_, op, b| create_table(op, &b),
    },
    Method {
        name: "drop_table",
        params: &["table_name", "*", "schema=!", "if_exists=!", "**kw"],
        call: |_, op, b| {
            let table = string(b.required("table_name")?, "the table name")?;
            op.exec_ddl(&ddl::drop_table(&table, dialect(op)))?;
            Ok(Value::None)
        },
    },
    Method {
        name: "rename_table",
        params: &["old_table_name", "new_table_name", "*", "schema=!"],
        call: |_, op, b| {
            let old = string(b.required("old_table_name")?, "the table name")?;
            let new = string(b.required("new_table_name")?, "the table name")?;
            op.exec_ddl(&ddl::rename_table(&old, &new, dialect(op)))?;
            Ok(Value::None)
        },
    },
    Method {
        name: "alter_column",
        params: &[
            "table_name",
            "column_name",
            "*",
            "nullable=",
            "comment=!",
            "server_default=",
            "new_column_name=",
            "type_=",
            "existing_type=",
            "existing_server_default=",
            "existing_nullable=",
            "existing_comment=",
            "schema=!",
        ],
        call: |_, op, b| alter_column(op, &b),
    },
    Method {
        name: "create_index",
        params: &[
            "index_name",
            "table_name",
            "columns",
            "*",
            "schema=!",
            "unique=",
            "if_not_exists=!",
        ],
        call: |_, op, b| {
            let name = string(b.required("index_name")?, "the index name")?;
            let table = string(b.required("table_name")?, "the table name")?;
            let columns = strings(b.required("columns")?, "an index column")?;
            let unique = b.flag("unique", false);
            op.exec_ddl(&ddl::create_index(
                &name,
                &table,
                &columns,
                unique,
                dialect(op),
            ))?;
            Ok(Value::None)
        },
    },
    Method {
        name: "drop_index",
        params: &["index_name", "table_name=", "*", "schema=!", "if_exists=!"],
        call: |_, op, b| {
            let name = string(b.required("index_name")?, "the index name")?;
            op.exec_ddl(&ddl::drop_index(&name, dialect(op)))?;
            Ok(Value::None)
        },
    },
    Method {
        name: "create_unique_constraint",
        params: &["constraint_name", "table_name", "columns", "*", "schema=!"],
        call: |_, op, b| {
            let c = ConstraintSpec::Unique {
                name: Some(string(
                    b.required("constraint_name")?,
                    "the constraint name",
                )?),
                columns: strings(b.required("columns")?, "a constraint column")?,
            };
            add_constraint(
                op,
                &string(b.required("table_name")?, "the table name")?,
                &c,
            )
        },
    },
    Method {
        name: "create_foreign_key",
        params: &[
            "constraint_name",
            "source_table",
            "referent_table",
            "local_cols",
            "remote_cols",
            "*",
            "onupdate=!",
            "ondelete=",
            "deferrable=!",
            "initially=!",
            "match=!",
            "source_schema=!",
            "referent_schema=!",
        ],
        call: |_, op, b| {
            let ondelete = match b.given("ondelete") {
                Some(Value::None) | None => None,
                Some(v) => Some(string(v, "ondelete")?),
            };
            let c = ConstraintSpec::ForeignKey {
                name: Some(string(
                    b.required("constraint_name")?,
                    "the constraint name",
                )?),
                columns: strings(b.required("local_cols")?, "a column")?,
                referred_table: string(b.required("referent_table")?, "the table name")?,
                referred_columns: strings(b.required("remote_cols")?, "a column")?,
                ondelete,
            };
            add_constraint(
                op,
                &string(b.required("source_table")?, "the table name")?,
                &c,
            )
        },
    },
    Method {
        name: "drop_constraint",
        params: &[
            "constraint_name",
            "table_name",
            "type_=",
            "*",
            "schema=!",
            "if_exists=!",
        ],
        call: |_, op, b| {
            if dialect(op).name == "sqlite" {
                return no_constraints(op);
            }
            let name = string(b.required("constraint_name")?, "the constraint name")?;
            let table = string(b.required("table_name")?, "the table name")?;
            op.exec_ddl(&ddl::drop_constraint(&table, &name, dialect(op)))?;
            Ok(Value::None)
        },
    },
    Method {
        name: "execute",
        params: &["sqltext", "*", "execution_options=!"],
        call: |_, op, b| execute(op, b.required("sqltext")?),
    },
    Method {
        name: "bulk_insert",
        params: &["table", "rows", "*", "multiinsert="],
        call: |_, op, b| bulk_insert(op, &b),
    },
    Method {
        name: "batch_alter_table",
        params: &[
            "table_name",
            "schema=!",
            "recreate=",
            "partial_reordering=!",
            "copy_from=!",
            "table_args=!",
            "table_kwargs=!",
            "reflect_args=!",
            "reflect_kwargs=!",
            "naming_convention=!",
        ],
        call: |interp: &mut Interpreter, op, b| super::batch::batch_alter_table(interp, op, &b),
    },
    Method {
        name: "f",
        params: &["name"],
        call: |_, _, b| f(&b),
    },
    Method {
        name: "get_bind",
        params: &[],
        // as Alembic's `Operations.get_bind()`: the migration's Connection
        call: |_, op, _| Ok(Value::Native(op.conn.clone())),
    },
    Method {
        name: "get_context",
        params: &[],
        call: |_, op, _| {
            Ok(Value::native(super::migration::MigrationContext {
                conn: op.conn.clone(),
            }))
        },
    },
];
