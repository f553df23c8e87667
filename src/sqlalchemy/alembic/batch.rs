//! `with op.batch_alter_table("users") as batch_op:` as Alembic 1.x runs it
//! on SQLite (`alembic/operations/batch.py`): the operations are collected
//! and sent at the block's end, inside a transaction begun and committed
//! around them unless Alembic's connection has one. When every operation
//! is an `add_column` (without a SQL-expression default) or an index, they
//! go as plain `ALTER TABLE` (`SQLiteImpl.requires_recreate_in_batch`);
//! otherwise the table is reflected and moved: `CREATE TABLE
//! _alembic_tmp_users …`, `INSERT INTO _alembic_tmp_users (…) SELECT … FROM
//! users`, `DROP TABLE users`, `ALTER TABLE _alembic_tmp_users RENAME TO
//! users`, then the indexes (`ApplyBatchImpl`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::outcome::Cause;
use crate::python::object::PyObject;
use crate::python::{Bound, ExcType, PyErr, PyResult, Value};
use crate::sql::compiler::{BoundParam, Compiled};
use crate::sql::schema::Table;
use crate::sqlalchemy::method::Method;

use super::Operations;
use super::constructs::column_spec;
use super::ddl::{self, AlterColumn, ColumnSpec, ConstraintSpec};
use super::ops::{alter_of, column_arg, string, strings};

/// One operation collected in a batch block.
#[derive(Debug, Clone)]
pub enum BatchOp {
    AddColumn(ColumnSpec),
    DropColumn(String),
    AlterColumn(String, AlterColumn),
    CreateIndex {
        name: String,
        columns: Vec<String>,
        unique: bool,
    },
    DropIndex(String),
    AddConstraint(ConstraintSpec),
    DropConstraint(String),
}

/// `batch_op`: Alembic's `BatchOperations` for one table.
#[derive(Debug)]
pub struct BatchOperations {
    pub op: Rc<Operations>,
    pub table: String,
    /// `recreate=`: `"auto"`, `"always"` or `"never"`.
    pub recreate: String,
    pub batch: RefCell<Vec<BatchOp>>,
}

impl PyObject for BatchOperations {
    fn type_name(&self) -> String {
        "BatchOperations".into()
    }
    fn repr(&self) -> String {
        "<alembic.operations.base.BatchOperations object>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `op.batch_alter_table(table_name, recreate="auto")`.
pub fn batch_alter_table(
    _interp: &mut Interpreter,
    op: &Rc<Operations>,
    b: &Bound,
) -> PyResult<Value> {
    let table = string(b.required("table_name")?, "the table name")?;
    let recreate = match b.given("recreate") {
        Some(v) => string(v, "recreate")?,
        None => "auto".into(),
    };
    if !["auto", "always", "never"].contains(&recreate.as_str()) {
        return Err(PyErr::new(
            ExcType::ValueError,
            "recreate may be one of 'auto', 'always', or 'never'.",
        ));
    }
    Ok(Value::native(BatchOperations {
        op: op.clone(),
        table,
        recreate,
        batch: RefCell::new(Vec::new()),
    }))
}

impl BatchOperations {
    fn push(&self, op: BatchOp) -> PyResult<Value> {
        self.batch.borrow_mut().push(op);
        Ok(Value::None)
    }

    /// Whether the block needs move-and-copy (SQLite's
    /// `requires_recreate_in_batch`: anything but `add_column` and indexes).
    fn should_recreate(&self) -> bool {
        match self.recreate.as_str() {
            "always" => true,
            "never" => false,
            // only SQLite copies the table (`SQLiteImpl`)
            _ if self.op.db.dialect().name != "sqlite" => false,
            _ => self.batch.borrow().iter().any(|o| {
                !matches!(
                    o,
                    BatchOp::AddColumn(_) | BatchOp::CreateIndex { .. } | BatchOp::DropIndex(_)
                )
            }),
        }
    }

    /// The block's end: Alembic's `BatchOperationsImpl.flush()`.
    pub fn flush(&self) -> PyResult<()> {
        let recreate = self.should_recreate();
        let op = self.op.clone();
        op.clone().ddl_scope(|| {
            if recreate {
                super::recreate::move_and_copy(&op, &self.table, &self.batch.borrow())
            } else {
                self.plain(&op)
            }
        })
    }

    /// Each operation as its own statement (no copy needed).
    fn plain(&self, op: &Operations) -> PyResult<()> {
        let dialect = op.db.dialect();
        for o in self.batch.borrow().iter() {
            match o {
                BatchOp::AddColumn(c) => op.exec_ddl(&ddl::add_column(&self.table, c, dialect))?,
                BatchOp::DropColumn(c) => {
                    op.exec_ddl(&ddl::drop_column(&self.table, c, dialect))?
                }
                BatchOp::AlterColumn(c, a) => {
                    for sql in ddl::alter_column(&self.table, c, a, dialect) {
                        super::ops::exec_alter(op, &sql)?;
                    }
                }
                BatchOp::CreateIndex {
                    name,
                    columns,
                    unique,
                } => op.exec_ddl(&ddl::create_index(
                    name,
                    &self.table,
                    columns,
                    *unique,
                    dialect,
                ))?,
                BatchOp::DropIndex(name) => op.exec_ddl(&ddl::drop_index(name, dialect))?,
                BatchOp::AddConstraint(c) => {
                    super::ops::add_constraint(op, &self.table, c)?;
                }
                BatchOp::DropConstraint(name) => {
                    if dialect.name == "sqlite" {
                        super::ops::no_constraints(op)?;
                    }
                    op.exec_ddl(&ddl::drop_constraint(&self.table, name, dialect))?
                }
            }
        }
        Ok(())
    }
}

/// `with` entry: the `batch_op` itself.
pub fn context_enter(ctx: &Value) -> Option<PyResult<Value>> {
    let Value::Native(n) = ctx else { return None };
    crate::python::object::downcast::<BatchOperations>(n).map(|_| Ok(ctx.clone()))
}

/// `with` exit: the collected operations are sent, unless the block raised.
pub fn context_exit(ctx: &Value, failed: bool) -> Option<PyResult<()>> {
    let Value::Native(n) = ctx else { return None };
    let b = crate::python::object::downcast::<BatchOperations>(n)?;
    Some(if failed { Ok(()) } else { b.flush() })
}

/// `INSERT INTO t (keys of the first row, in column order) VALUES (?, …)`,
/// with `executemany` for several rows, as SQLAlchemy's
/// `connection.execute(table.insert(), rows)`. On a pyformat driver
/// (psycopg2) SQLAlchemy's insertmanyvalues batches several rows into one
/// multi-VALUES statement without RETURNING, its parameters suffixed by
/// the row's place (`(%(id__0)s, %(name__0)s), (%(id__1)s, …)`), up to
/// `insertmanyvalues_page_size` (1000) rows a statement.
pub fn insert_rows(op: &Operations, table: &Table, first: &Value, rows: &[Value]) -> PyResult<()> {
    let keys = dict_keys(first)?;
    let columns: Vec<&crate::sql::schema::Column> = table
        .columns
        .iter()
        .filter(|c| keys.contains(&c.name))
        .collect();
    let dialect = op.db.dialect();
    let head = format!(
        "INSERT INTO {} ({}) VALUES ",
        dialect.quote(&table.name),
        columns
            .iter()
            .map(|c| dialect.quote(&c.name).to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let mut values = Vec::new();
    for row in rows {
        let mut one = Vec::new();
        for c in &columns {
            let v = dict_get(row, &c.name)?;
            one.push(crate::orm::expression::bind_value(&v, Some(&c.sql_type))?);
        }
        values.push(one);
    }
    let run = |compiled: Compiled, many: Option<&[Vec<crate::sql::schema::SqlValue>]>| {
        match many {
            None => op.db.execute(&compiled, Cause::Query),
            Some(rows) => op.db.execute_many(&compiled, rows, Cause::Query),
        }
        .map(|_| ())
        .map_err(|e| crate::orm::session::db_error(e, Some(&compiled)))
    };
    // one row's VALUES group, its parameters named with `suffix`
    let group = |row: &[crate::sql::schema::SqlValue], suffix: &str| {
        let params: Vec<BoundParam> = columns
            .iter()
            .zip(row.iter())
            .map(|(c, v)| BoundParam {
                name: format!("{}{suffix}", c.name),
                value: v.clone(),
                callable_: None,
            })
            .collect();
        let marks = params
            .iter()
            .map(|p| dialect.bind_marker(&p.name))
            .collect::<Vec<_>>()
            .join(", ");
        (format!("({marks})"), params)
    };
    if values.len() == 1 || dialect.paramstyle == crate::sql::dialect::ParamStyle::Qmark {
        let (marks, params) = group(&values[0], "");
        let compiled = Compiled {
            sql: format!("{head}{marks}"),
            params,
        };
        return run(compiled, (values.len() > 1).then_some(&values[..]));
    }
    for page in values.chunks(INSERTMANYVALUES_PAGE_SIZE) {
        let mut groups = Vec::new();
        let mut params = Vec::new();
        for (i, row) in page.iter().enumerate() {
            let (marks, p) = group(row, &format!("__{i}"));
            groups.push(marks);
            params.extend(p);
        }
        run(
            Compiled {
                sql: format!("{head}{}", groups.join(", ")),
                params,
            },
            None,
        )?;
    }
    Ok(())
}

/// SQLAlchemy's default `insertmanyvalues_page_size`: rows a batched
/// INSERT carries.
const INSERTMANYVALUES_PAGE_SIZE: usize = 1000;

fn dict_keys(row: &Value) -> PyResult<Vec<String>> {
    match row {
        Value::Dict(d) => d
            .borrow()
            .iter()
            .map(|(k, _)| string(k, "a column name"))
            .collect(),
        other => Err(PyErr::unsupported(format!(
            "op.bulk_insert() rows given as {} (give dicts)",
            other.type_name()
        ))),
    }
}

fn dict_get(row: &Value, key: &str) -> PyResult<Value> {
    match row {
        Value::Dict(d) => Ok(d
            .borrow()
            .iter()
            .find(|(k, _)| matches!(k, Value::Str(s) if &**s == key))
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::None)),
        other => Err(PyErr::unsupported(format!(
            "op.bulk_insert() rows given as {} (give dicts)",
            other.type_name()
        ))),
    }
}

fn table_name_arg(b: &Bound, key: &str) -> PyResult<String> {
    string(b.required(key)?, "a name")
}

/// `BatchOperations`' methods, with Alembic 1.x's signatures.
pub static BATCH_OPERATIONS: &[Method<BatchOperations>] = &[
    Method {
        name: "add_column",
        params: &[
            "column",
            "insert_before=!",
            "insert_after=!",
            "*",
            "if_not_exists=!",
        ],
        call: |_, bo, b| {
            bo.push(BatchOp::AddColumn(column_spec(
                &column_arg(b.required("column")?)?,
                bo.op.db.dialect(),
            )))
        },
    },
    Method {
        name: "drop_column",
        params: &["column_name", "**kw"],
        call: |_, bo, b| bo.push(BatchOp::DropColumn(table_name_arg(&b, "column_name")?)),
    },
    Method {
        name: "alter_column",
        params: &[
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
            "insert_before=!",
            "insert_after=!",
        ],
        call: |_, bo, b| {
            let column = table_name_arg(&b, "column_name")?;
            bo.push(BatchOp::AlterColumn(column, alter_of(&b)?))
        },
    },
    Method {
        name: "create_index",
        params: &["index_name", "columns", "*", "unique=", "**kw"],
        call: |_, bo, b| {
            bo.push(BatchOp::CreateIndex {
                name: table_name_arg(&b, "index_name")?,
                columns: strings(b.required("columns")?, "an index column")?,
                unique: b.flag("unique", false),
            })
        },
    },
    Method {
        name: "drop_index",
        params: &["index_name", "**kw"],
        call: |_, bo, b| bo.push(BatchOp::DropIndex(table_name_arg(&b, "index_name")?)),
    },
    Method {
        name: "create_unique_constraint",
        params: &["constraint_name", "columns", "**kw"],
        call: |_, bo, b| {
            bo.push(BatchOp::AddConstraint(ConstraintSpec::Unique {
                name: Some(table_name_arg(&b, "constraint_name")?),
                columns: strings(b.required("columns")?, "a constraint column")?,
            }))
        },
    },
    Method {
        name: "create_foreign_key",
        params: &[
            "constraint_name",
            "referent_table",
            "local_cols",
            "remote_cols",
            "*",
            "referent_schema=!",
            "onupdate=!",
            "ondelete=",
            "deferrable=!",
            "initially=!",
            "match=!",
        ],
        call: |_, bo, b| {
            let ondelete = match b.given("ondelete") {
                Some(v) => Some(string(v, "ondelete")?),
                None => None,
            };
            bo.push(BatchOp::AddConstraint(ConstraintSpec::ForeignKey {
                name: Some(table_name_arg(&b, "constraint_name")?),
                columns: strings(b.required("local_cols")?, "a column")?,
                referred_table: table_name_arg(&b, "referent_table")?,
                referred_columns: strings(b.required("remote_cols")?, "a column")?,
                ondelete,
            }))
        },
    },
    Method {
        name: "drop_constraint",
        params: &["constraint_name", "type_=", "**kw"],
        call: |_, bo, b| {
            bo.push(BatchOp::DropConstraint(table_name_arg(
                &b,
                "constraint_name",
            )?))
        },
    },
    Method {
        name: "execute",
        params: &["sqltext", "*", "execution_options=!"],
        call: |_, _, _| Err(PyErr::unsupported("batch_op.execute()")),
    },
    Method {
        name: "f",
        params: &["name"],
        call: |_, _, b| Ok(b.required("name")?.clone()),
    },
];
