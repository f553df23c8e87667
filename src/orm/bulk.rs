//! Bulk statements: `update(User).where(…).values(…)`, `delete(User)…`,
//! `insert(Role).values(…)`, and the legacy `Query.update()` /
//! `Query.delete()`, with SQLAlchemy 2.0's default `synchronize_session`
//! ("auto", which evaluates the criteria in Python against the objects in
//! the identity map).

use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::value::Value;
use crate::sql::compiler;
use crate::sql::compiler::Compiled;
use crate::sql::dialect::Dialect;
use crate::sql::elements::{BoolOp, BulkDelete, BulkUpdate, Expr, Insert, Operator, Selectable};
use crate::sql::schema::{ColumnDefault, SqlValue, TableRef};

use super::expression::{bind_value, coerce, result_value};
use super::mapper::Mapper;
use super::session::Session;
use super::state::Obj;
use crate::python::ExcType;

/// Which statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmlKind {
    Update,
    Delete,
    Insert,
}

/// A bulk statement, not yet run: on a mapped class (`update(User)`), or
/// on a Core table (`user_groups.insert()`, with no mapper).
#[derive(Debug, Clone)]
pub struct DmlStatement {
    pub kind: DmlKind,
    /// The mapped class, for an ORM statement; `None` on a Core table.
    pub mapper: Option<Rc<Mapper>>,
    pub table: TableRef,
    pub where_: Vec<Expr>,
    /// Column index and new value (a Python value or a SQL expression).
    pub values: Vec<(usize, Value)>,
    /// `insert(t).returning(t.c.id, …)`: the table's columns to return.
    pub returning: Vec<usize>,
    /// `insert(User).returning(User)`: the returned rows are the mapped
    /// objects (every column returned, loaded into the identity map).
    pub returning_entity: bool,
    /// `execution_options(synchronize_session=False)` turns off the
    /// synchronization of objects in the identity map (default "auto").
    pub synchronize_session: bool,
    /// `synchronize_session="fetch"`: the UPDATE or DELETE returns the
    /// matched rows' primary keys (`RETURNING id`), and the objects with
    /// those keys follow, as SQLAlchemy 2.0's on a RETURNING database.
    pub fetch: bool,
    /// `synchronize_session="evaluate"`: criteria SQLAlchemy's evaluator
    /// cannot evaluate raise its `InvalidRequestError` instead of falling
    /// back to "fetch" as "auto" does.
    pub evaluate: bool,
    /// The `WriteOnlyCollection` the statement was made from: its owner's
    /// key is bound when the statement runs (SQLAlchemy's
    /// `bindparam(callable_=…)`), see [`super::dynamic::bind_owner`].
    pub owner: Option<super::dynamic::DynamicParent>,
    /// `.values(...)` was called, even with nothing (not SQLAlchemy's
    /// `_no_parameters`): `str()` of an INSERT without it lists every
    /// column (`INSERT INTO t (id, name) VALUES (:id, :name)`).
    pub values_called: bool,
    /// `Insert.from_select(names, select)`: the table's column indices
    /// named and the SELECT whose rows they take (`INSERT INTO t (a, b)
    /// SELECT …`).
    pub from_select: Option<(Vec<usize>, crate::sql::elements::Select)>,
    /// `.values(nope=1)`: keys that name no column, an error only once the
    /// statement compiles.
    pub unconsumed: Vec<String>,
    /// `values([{…}, {…}])`: the rows after the first (the first is
    /// `values`), each its column indices and values, keys that are no
    /// column of the first row's left out; `None` for a single-row
    /// `values()`. Rendered as one multi-row VALUES clause.
    pub multi_values: Option<Vec<Vec<(usize, Value)>>>,
    /// `update(users).values({messages.c.content: …})`: the other tables
    /// whose columns `values()` set (a multi-table UPDATE), a
    /// `CompileError` once the statement compiles on SQLite or PostgreSQL
    /// ([`DmlStatement::multi_table_error`]).
    pub extra_set_tables: Vec<String>,
    /// Those tables' columns and the values `values()` gives them, for the
    /// one dialect that renders them (MySQL's `UPDATE a, b SET b.x=…`).
    pub extra_set: Vec<(TableRef, usize, Value)>,
    /// `update(t).ordered_values((col, v), …)`: the SET clause in the
    /// order given, not the table's.
    pub ordered_values: bool,
    /// The dialect of a dialect's own `insert()` (`"sqlite"`,
    /// `"postgresql"`: `sqlalchemy.dialects.sqlite.insert`), which `str()`
    /// compiles with; `None` for the generic `insert()`.
    pub dialect_insert: Option<&'static str>,
    /// `on_conflict_do_nothing()` / `on_conflict_do_update()` of a
    /// dialect's `insert()`.
    pub on_conflict: Option<crate::sql::elements::OnConflict>,
    /// `execution_options(populate_existing=True)`: objects `returning()`
    /// gives that are already in the identity map are refreshed.
    pub populate_existing: bool,
    /// `returning(..., sort_by_parameter_order=True)`: an executemany
    /// INSERT's returned rows come in the order of its parameter dicts.
    pub sort_by_parameter_order: bool,
    /// `execution_options(render_nulls=True)`: an ORM bulk INSERT keeps a
    /// record's `None` values (else a key set to `None` is left out, and
    /// the column takes its default).
    pub render_nulls: bool,
    /// `returning()` was given a column read from a mapped attribute
    /// (`User.id`: SQLAlchemy's `parententity` annotation).
    pub returning_annotated: bool,
    /// `returning()` was given a Core column or a whole entity, which
    /// carry no `parententity` annotation.
    pub returning_plain: bool,
}

impl DmlStatement {
    pub fn new(kind: DmlKind, mapper: Rc<Mapper>) -> DmlStatement {
        DmlStatement {
            mapper: Some(mapper.clone()),
            ..DmlStatement::on_table(kind, mapper.table.clone())
        }
    }

    /// A Core statement on a table, as SQLAlchemy 2.0 `TableClause.insert()`,
    /// `.update()`, `.delete()`: its keys are the table's column names, and
    /// running it synchronizes no ORM object.
    pub fn on_table(kind: DmlKind, table: TableRef) -> DmlStatement {
        DmlStatement {
            kind,
            mapper: None,
            table,
            where_: Vec::new(),
            values: Vec::new(),
            returning: Vec::new(),
            returning_entity: false,
            synchronize_session: true,
            fetch: false,
            evaluate: false,
            owner: None,
            values_called: false,
            from_select: None,
            unconsumed: Vec::new(),
            extra_set_tables: Vec::new(),
            extra_set: Vec::new(),
            ordered_values: false,
            multi_values: None,
            dialect_insert: None,
            on_conflict: None,
            populate_existing: false,
            sort_by_parameter_order: false,
            render_nulls: false,
            returning_annotated: false,
            returning_plain: false,
        }
    }

    /// The table's column `key` as a SQL expression (`user_groups.c.user_id`),
    /// for `filter_by(user_id=1)` on a Core statement.
    ///
    /// Errors: `InvalidRequestError` as SQLAlchemy's for a name that is not
    /// a column.
    pub fn table_column(&self, key: &str) -> PyResult<Value> {
        let i = self.table.column_index(key).ok_or_else(|| {
            PyErr::new(
                ExcType::InvalidRequestError,
                format!(
                    "Entity namespace for \"{}\" has no property \"{key}\"",
                    self.table.name
                ),
            )
        })?;
        Ok(super::expression::sql(
            Expr::column(&Selectable::Table(self.table.clone()), i),
            Some(self.table.columns[i].sql_type.clone()),
        ))
    }

    /// `Update`, `Delete`, `Insert` as `type(stmt).__name__`.
    pub fn python_type_name(&self) -> &'static str {
        match self.kind {
            DmlKind::Update => "Update",
            DmlKind::Delete => "Delete",
            DmlKind::Insert => "Insert",
        }
    }

    /// Adds `.values(name=…)` / `.values({User.name: …})` entries.
    ///
    /// Errors: `ArgumentError` for a name that is not a column.
    /// Whether `.values()` gave the column `key` a SQL expression (not a
    /// `bindparam()`): an execute parameter of the same key does not
    /// replace it, as SQLAlchemy 2.0's `crud._scan_cols` keeps the
    /// statement's expression (`VALUES (lower(?))` for
    /// `.values(name=func.lower("Q"))` with `[{"name": "Z"}, …]`).
    pub fn has_sql_value(&self, key: &str) -> bool {
        let col = match &self.mapper {
            Some(m) => m.column(key),
            None => self.table.column_index(key),
        };
        col.is_some_and(|col| self.sql_value_columns().contains(&col))
    }

    /// The columns `.values()` gave a SQL expression that is not a bare
    /// `bindparam()` (`func.lower("Q")`, `literal("k") + "z"`): rendered
    /// in the statement's text, not bound per row.
    pub fn sql_value_columns(&self) -> Vec<usize> {
        let bare_bindparam = |v: &Value| {
            v.downcast::<super::expression::SqlExpr>()
                .is_some_and(|e| matches!(e.expr, Expr::BindParam { unique: false, .. }))
        };
        self.values
            .iter()
            .filter(|(_, v)| super::expression::is_sql(v) && !bare_bindparam(v))
            .map(|(c, _)| *c)
            .collect()
    }

    /// `.values(key=v)`: as [`DmlStatement::set_value`], but a key that
    /// names no column is kept to fail when the statement compiles
    /// (SQLAlchemy's `CompileError` "Unconsumed column names: …").
    ///
    /// Errors: none yet; see [`DmlStatement::compile`].
    pub fn values_entry(&mut self, key: &str, v: Value) -> PyResult<()> {
        if !self.has_column_key(key) {
            if !self.unconsumed.iter().any(|k| k == key) {
                self.unconsumed.push(key.to_string());
            }
            return Ok(());
        }
        self.set_value(key, v)
    }

    /// True when `key` names one of the statement's columns (a mapped
    /// attribute of its entity, or a column of its table).
    pub fn has_column_key(&self, key: &str) -> bool {
        match &self.mapper {
            Some(m) => m.column(key).is_some(),
            None => self.table.column_index(key).is_some(),
        }
    }

    /// `values((v1, v2, …))`: each value for the table's column at its
    /// position, as SQLAlchemy zips a tuple with `table.c` (extra values
    /// are dropped, missing columns left out).
    ///
    /// Errors: a value's coercion errors.
    pub fn set_positional_values(&mut self, items: &[Value]) -> PyResult<()> {
        for (col, v) in items.iter().take(self.table.columns.len()).enumerate() {
            let v = values_coerced(v.clone())?;
            self.values.retain(|(c, _)| *c != col);
            self.values.push((col, v));
        }
        Ok(())
    }

    pub fn set_value(&mut self, key: &str, v: Value) -> PyResult<()> {
        let v = values_coerced(v)?;
        let col = match &self.mapper {
            Some(m) => m.column(key),
            None => self.table.column_index(key),
        };
        let col = col.ok_or_else(|| {
            PyErr::new(
                ExcType::ArgumentError,
                format!("Unconsumed column names: {key}"),
            )
        })?;
        self.values.retain(|(c, _)| *c != col);
        self.values.push((col, v));
        Ok(())
    }
}

impl DmlStatement {
    /// An INSERT's columns and bound values: the given values and the
    /// columns with a Python-side default (evaluated now), in table order,
    /// as SQLAlchemy's `crud._scan_cols`.
    ///
    /// Errors: a value's bind processing errors.
    pub fn insert_values(&self) -> PyResult<Vec<(usize, SqlValue)>> {
        let mut values = Vec::new();
        for (col, column) in self.table.columns.iter().enumerate() {
            let ty = Some(&column.sql_type);
            if let Some((_, v)) = self.values.iter().find(|(c, _)| *c == col) {
                let value = match anonymous_bind(v, ty)? {
                    Some((_, value)) => value,
                    // A SQL expression (`seq.next_value()`, `func.now()`) is
                    // rendered in the statement, not bound.
                    None if super::expression::is_sql(v) => continue,
                    None => bind_value(v, ty)?,
                };
                values.push((col, value));
            } else if let Some(default) = &column.default {
                let v = python_default(default, ty)?;
                values.push((col, bind_value(&v, ty)?));
            }
        }
        Ok(values)
    }

    /// The SQL expressions `.values()` gave (not bound parameters), each
    /// with its column, rendered in every row of an ORM bulk INSERT
    /// (`values(created_at=func.now())`: `VALUES (?, CURRENT_TIMESTAMP)`).
    ///
    /// Errors: a value's coercion errors.
    pub fn inline_sql_values(&self) -> PyResult<Vec<(usize, Expr)>> {
        let mut out = Vec::new();
        for (col, v) in &self.values {
            let ty = self.table.columns.get(*col).map(|c| &c.sql_type);
            if super::expression::is_sql(v) && anonymous_bind(v, ty)?.is_none() {
                out.push((*col, coerce(v, ty)?.expr));
            }
        }
        out.sort_by_key(|(c, _)| *c);
        Ok(out)
    }

    /// The column index of a `values()` key: a mapped attribute's key on
    /// an ORM statement, a column's name on a Core table's.
    pub fn column_for_key(&self, key: &str) -> Option<usize> {
        match &self.mapper {
            Some(m) => m.column(key),
            None => self.table.column_index(key),
        }
    }

    /// A multi-row `values([{…}, {…}])` (or a dialect insert's
    /// `ON CONFLICT`) compiled from the first row's columns and bound
    /// values (`values`, `inline`): the first row's given values bound as
    /// `name_m0` (its defaults as `name`), each later row's as `name_m1`,
    /// … its SQL expressions rendered in place and its missing columns
    /// given their defaults, as SQLAlchemy 2.0's
    /// `crud._extend_values_for_multiparams`.
    ///
    /// Errors: `CompileError` for a later row missing a column that has no
    /// default, as SQLAlchemy's; a value's bind processing errors.
    fn compile_rows(
        &self,
        values: &[(usize, SqlValue)],
        inline: &[(usize, Expr)],
        returning: &[usize],
        dialect: &Dialect,
    ) -> PyResult<Compiled> {
        use crate::sql::elements::RowValue;
        let table = &self.table;
        let mut columns: Vec<usize> = values
            .iter()
            .map(|(c, _)| *c)
            .chain(inline.iter().map(|(c, _)| *c))
            .collect();
        columns.sort_unstable();
        columns.dedup();
        let multi = self.multi_values.is_some();
        let mut first = Vec::with_capacity(columns.len());
        for &c in &columns {
            let name = table.columns[c].name.clone();
            first.push(match values.iter().find(|(i, _)| *i == c) {
                Some((_, v)) if multi && self.values.iter().any(|(i, _)| *i == c) => {
                    RowValue::Bind(v.clone(), format!("{name}_m0"))
                }
                Some((_, v)) => RowValue::Bind(v.clone(), name),
                None => match inline.iter().find(|(i, _)| *i == c) {
                    Some((_, e)) => RowValue::Expr(e.clone()),
                    None => RowValue::Expr(Expr::Null),
                },
            });
        }
        let mut rows = vec![first];
        for (n, extra) in self.multi_values.iter().flatten().enumerate() {
            let i = n + 1;
            let mut row = Vec::with_capacity(columns.len());
            for &c in &columns {
                let column = &table.columns[c];
                let ty = Some(&column.sql_type);
                let name = format!("{}_m{i}", column.name);
                row.push(match extra.iter().find(|(k, _)| *k == c) {
                    Some((_, v)) if super::expression::is_sql(v) => {
                        RowValue::Expr(coerce(v, ty)?.expr)
                    }
                    Some((_, v)) => RowValue::Bind(bind_value(v, ty)?, name),
                    None => match &column.default {
                        Some(default) => {
                            let v = python_default(default, ty)?;
                            RowValue::Bind(bind_value(&v, ty)?, name)
                        }
                        None => match compiler::sequence_defaults(table, &[], dialect)
                            .into_iter()
                            .find(|(k, _)| *k == c)
                        {
                            Some((_, e)) => RowValue::Expr(e),
                            None => {
                                return Err(PyErr::new(
                                    ExcType::CompileError,
                                    format!(
                                        "INSERT value for column {}.{} is explicitly rendered as a boundparameter in the VALUES clause; a Python-side value or SQL expression is required",
                                        table.name, column.name
                                    ),
                                ));
                            }
                        },
                    },
                });
            }
            rows.push(row);
        }
        Ok(compiler::compile_insert_rows(
            table,
            &columns,
            &rows,
            self.on_conflict.as_ref(),
            returning,
            dialect,
        ))
    }

    /// The anonymous bound parameters among an INSERT's `values()` (as
    /// `WriteOnlyCollection.insert()` gives the foreign key): each column's
    /// name and its bind's name, `param_1`, `param_2`, … in the table's
    /// column order, the order SQLAlchemy's compiler renders them, so an
    /// executemany names them as SQLAlchemy does (`param_1__0` in an
    /// insertmanyvalues batch).
    ///
    /// Errors: a value's coercion errors.
    pub fn anonymous_bind_names(&self) -> PyResult<Vec<(String, String)>> {
        let mut names = Vec::new();
        for (col, column) in self.table.columns.iter().enumerate() {
            let Some((_, v)) = self.values.iter().find(|(c, _)| *c == col) else {
                continue;
            };
            if anonymous_bind(v, Some(&column.sql_type))?.is_some() {
                names.push((
                    column.name.to_string(),
                    format!("param_{}", names.len() + 1),
                ));
            }
        }
        Ok(names)
    }

    /// The statement compiled for `dialect` (`STR` for `print(stmt)`).
    /// An INSERT lists the given values and the columns with a Python-side
    /// default, in table order, as SQLAlchemy's `crud._scan_cols`
    /// (`INSERT INTO users (name, email, is_active, created_at) …`).
    ///
    /// Errors: `ArgumentError` for an UPDATE without values; a value's bind
    /// processing errors.
    pub fn compile(&self, dialect: &Dialect) -> PyResult<Compiled> {
        Ok(self.compile_linted(dialect)?.0)
    }

    /// [`DmlStatement::compile`] with the FROM linter's warnings, as an
    /// engine compiles a statement it executes: an UPDATE's or DELETE's
    /// extra FROMs not linked to its table by the WHERE criteria
    /// (`UPDATE statement has a cartesian product …`); issue them with
    /// [`super::session::warn_from_linting`].
    ///
    /// Errors: as [`DmlStatement::compile`]; on SQLite, `NotImplementedError`
    /// for a DELETE whose criteria name other tables, as SQLAlchemy 2.0's
    /// `delete_extra_from_clause`.
    pub fn compile_linted(&self, dialect: &Dialect) -> PyResult<(Compiled, Vec<String>)> {
        let (mut compiled, warnings) = self.compile_unchecked(dialect)?;
        super::session::check_sequences(&compiled, dialect)?;
        compiled.render_literal_execute(dialect);
        Ok((compiled, warnings))
    }

    /// SQLAlchemy's `CompileError` for a multi-table UPDATE's `values()`
    /// on a backend without `UPDATE … SET other.col` (all but MySQL).
    pub fn multi_table_error(&self) -> Option<PyErr> {
        self.extra_set_tables.first()?;
        self.multi_table_error_inner()
    }

    /// `values({other.c.x: v})` of an UPDATE: a column of another table
    /// (a multi-table UPDATE); given again, its value replaced.
    pub fn extra_set_value(&mut self, table: TableRef, col: usize, value: Value) {
        if !self.extra_set_tables.contains(&table.name) {
            self.extra_set_tables.push(table.name.clone());
        }
        match self
            .extra_set
            .iter_mut()
            .find(|(t, c, _)| Rc::ptr_eq(t, &table) && *c == col)
        {
            Some(entry) => entry.2 = value,
            None => self.extra_set.push((table, col, value)),
        }
    }

    fn multi_table_error_inner(&self) -> Option<PyErr> {
        let table = self.extra_set_tables.first()?;
        Some(PyErr::new(
            ExcType::CompileError,
            format!(
                "Backend does not support additional tables in the SET clause; cannot include columns from table(s) '{table}' in SET clause"
            ),
        ))
    }

    /// The statement as `str(stmt)` and `stmt.compile()` show it: a
    /// `literal_execute` parameter (SQLite's `index_where=`) still
    /// `__[POSTCOMPILE_id_1]`, as [`DmlStatement::compile`] writes it
    /// inline for execution.
    ///
    /// Errors: as [`DmlStatement::compile`].
    pub fn compile_display(&self, dialect: &Dialect) -> PyResult<Compiled> {
        Ok(self.compile_unchecked(dialect)?.0)
    }

    /// [`DmlStatement::compile_linted`] before its check of sequences.
    fn compile_unchecked(&self, dialect: &Dialect) -> PyResult<(Compiled, Vec<String>)> {
        if dialect.statement_compiler != crate::sql::dialect::StatementCompiler::MySQL
            && let Some(e) = self.multi_table_error()
        {
            return Err(e);
        }
        if !self.unconsumed.is_empty() {
            return Err(PyErr::new(
                ExcType::CompileError,
                format!("Unconsumed column names: {}", self.unconsumed.join(", ")),
            ));
        }
        let table = self.table.clone();
        // SQLite's ON CONFLICT clause has no `constraint_target`, which
        // PostgreSQL's compiler reads first
        if let Some(oc) = &self.on_conflict
            && self.dialect_insert == Some("sqlite")
            && dialect.statement_compiler == crate::sql::dialect::StatementCompiler::PostgreSQL
        {
            let class = match oc.update {
                Some(_) => "OnConflictDoUpdate",
                None => "OnConflictDoNothing",
            };
            return Err(crate::python::exceptions::attribute_error(format!(
                "'{class}' object has no attribute 'constraint_target'"
            )));
        }
        Ok(match self.kind {
            DmlKind::Update => {
                let mut set = Vec::new();
                for (col, v) in &self.values {
                    let ty = table.columns.get(*col).map(|c| c.sql_type.clone());
                    set.push((*col, coerce(v, ty.as_ref())?.expr));
                }
                // SQLAlchemy's `crud._scan_cols`: the table's column order,
                // unless `ordered_values()` gave one
                if !self.ordered_values {
                    set.sort_by_key(|(c, _)| *c);
                }
                if set.is_empty() {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        "update() needs .values(...) to set",
                    ));
                }
                let mut extra_set = Vec::new();
                for (t, col, v) in &self.extra_set {
                    let ty = t.columns.get(*col).map(|c| c.sql_type.clone());
                    extra_set.push((t.clone(), *col, coerce(v, ty.as_ref())?.expr));
                }
                let update = BulkUpdate {
                    table,
                    set,
                    extra_set,
                    where_: self.where_.clone(),
                    returning: self.returning.clone(),
                };
                if let Some(message) = compiler::update_extra_froms_error(&update, dialect) {
                    return Err(PyErr::new(ExcType::NotImplementedError, message));
                }
                compiler::compile_bulk_update_linted(&update, dialect)
            }
            DmlKind::Delete => {
                let delete = BulkDelete {
                    table,
                    where_: self.where_.clone(),
                    returning: self.returning.clone(),
                };
                if let Some(message) = compiler::delete_extra_froms_error(&delete, dialect) {
                    return Err(PyErr::new(ExcType::NotImplementedError, message));
                }
                compiler::compile_bulk_delete_linted(&delete, dialect)
            }
            DmlKind::Insert if let Some((columns, select)) = &self.from_select => (
                compiler::compile_insert_from_select(
                    &table,
                    columns,
                    select,
                    &self.returning,
                    dialect,
                ),
                Vec::new(),
            ),
            DmlKind::Insert => {
                let mut values = self.insert_values()?;
                // An anonymous `bindparam(None, …)` value (a write-only
                // collection's foreign key) renders as `:param_1`.
                let mut inline = Vec::new();
                for (col, v) in &self.values {
                    let ty = table.columns.get(*col).map(|c| &c.sql_type);
                    if let Some((expr, _)) = anonymous_bind(v, ty)? {
                        inline.push((*col, expr));
                        values.retain(|(c, _)| c != col);
                    } else if super::expression::is_sql(v) {
                        inline.push((*col, coerce(v, ty)?.expr));
                    }
                }
                // A `Sequence` column not given: `nextval('s')` inline.
                let given: Vec<usize> = values.iter().map(|(c, _)| *c).collect();
                let given: Vec<usize> = given
                    .into_iter()
                    .chain(inline.iter().map(|(c, _)| *c))
                    .collect();
                inline.extend(compiler::sequence_defaults(&table, &given, dialect));
                // Without `lastrowid` (PostgreSQL), the primary key columns not
                // given come back through RETURNING (`inserted_primary_key`);
                // not for a multi-row VALUES.
                let returning = if !self.returning.is_empty() || self.multi_values.is_some() {
                    self.returning.clone()
                } else if dialect.postfetch_lastrowid {
                    Vec::new()
                } else {
                    table
                        .primary_key()
                        .into_iter()
                        .filter(|p| !values.iter().any(|(c, _)| c == p))
                        .collect()
                };
                if self.multi_values.is_some() || self.on_conflict.is_some() {
                    return Ok((
                        self.compile_rows(&values, &inline, &returning, dialect)?,
                        Vec::new(),
                    ));
                }
                (
                    compiler::compile_insert_inline(
                        &Insert {
                            table,
                            values,
                            returning,
                        },
                        &inline,
                        dialect,
                    ),
                    Vec::new(),
                )
            }
        })
    }
}

/// A `values()` value as SQLAlchemy's `ExpressionElementRole` coerces it:
/// a `select()` becomes its scalar subquery (`VALUES ((SELECT users.id
/// …), ?)`); other values are unchanged.
///
/// Errors: those of `Select.scalar_subquery()`.
pub fn values_coerced(v: Value) -> PyResult<Value> {
    match v.downcast::<super::query::Query>() {
        Some(q) if !q.is_legacy() => Ok(Value::native(q.scalar_subquery_expr()?)),
        _ => Ok(v),
    }
}

/// The value a column's Python-side default gives a row now (a constant,
/// `datetime.utcnow`, `datetime.now`).
///
/// Errors: `NotImplementedError` for a Python function or SQL expression
/// default.
fn python_default(
    default: &ColumnDefault,
    ty: Option<&crate::sql::schema::SqlType>,
) -> PyResult<Value> {
    Ok(match default {
        ColumnDefault::Value(v) => result_value(v, ty),
        ColumnDefault::UtcNow => Value::DateTime(crate::python::types::datetime::clock_now(false)),
        ColumnDefault::Now => Value::DateTime(crate::python::types::datetime::clock_now(true)),
        ColumnDefault::Callable(_) => {
            return Err(PyErr::unsupported(
                "a Python function default in a bulk INSERT",
            ));
        }
        ColumnDefault::Sql(_) => {
            return Err(PyErr::unsupported(
                "a SQL expression default (default=func.now()) in a bulk INSERT",
            ));
        }
    })
}

/// A value that is an anonymous bound parameter (SQLAlchemy's
/// `bindparam(None, value)`, as `WriteOnlyCollection.insert()` gives the
/// foreign key): the expression and its value; `None` for other values.
fn anonymous_bind(
    v: &Value,
    ty: Option<&crate::sql::schema::SqlType>,
) -> PyResult<Option<(Expr, SqlValue)>> {
    if !super::expression::is_sql(v) {
        return Ok(None);
    }
    let expr = coerce(v, ty)?.expr;
    Ok(match &expr {
        Expr::BindParam {
            value,
            unique: true,
            ..
        } => {
            let value = value.clone();
            Some((expr, value))
        }
        _ => None,
    })
}

/// Runs a bulk statement in `session` (autoflush first) and returns the
/// number of rows it matched. With `synchronize`, the objects already in the
/// identity map follow: updated in memory, or marked deleted.
///
/// Errors: those of [`execute_returning`].
pub fn execute(session: &Rc<Session>, stmt: &DmlStatement, synchronize: bool) -> PyResult<i64> {
    Ok(execute_returning(session, stmt, synchronize)?.rowcount)
}

/// What [`execute_returning`] did: the matched rows' count (`rowcount`:
/// pysqlite's 0 for a statement with `RETURNING`), and with `returning()`
/// the keys and rows of the result.
pub struct BulkResult {
    pub rowcount: i64,
    pub returned: Option<(Vec<String>, Vec<Vec<Value>>)>,
}

/// Runs a bulk UPDATE or DELETE in `session` as [`execute`], with its
/// `returning()` rows, as SQLAlchemy 2.0's `session.execute(update(User)
/// .where(…).values(…).returning(User.id, …))`: the returned columns, or
/// with `returning(User)` the objects, loaded into the identity map. When
/// synchronization fetches, the primary key comes first in `RETURNING`
/// (`return_defaults(*pk, supplemental_cols=…)`), the statement's own
/// columns after it, and the result has the statement's own.
///
/// An INSERT (one row, a multi-row `values([…])`, a dialect's upsert)
/// returns its rows the same way; with `populate_existing` the objects
/// already in the identity map are refreshed from them.
///
/// Errors: `InvalidRequestError` for criteria "evaluate" cannot evaluate;
/// a `CompileError` (after the session's BEGIN, as SQLAlchemy's); the
/// database's.
pub fn execute_returning(
    session: &Rc<Session>,
    stmt: &DmlStatement,
    synchronize: bool,
) -> PyResult<BulkResult> {
    session.autoflush()?;
    let bound;
    let stmt = match &stmt.owner {
        Some(_) => {
            bound = super::dynamic::bind_owner(stmt)?;
            &bound
        }
        None => stmt,
    };
    if let Some(mapper) = stmt.mapper.as_ref()
        && synchronize
        && stmt.evaluate
        && stmt.kind != DmlKind::Insert
        && let Some(why) = stmt.where_.iter().find_map(|c| unevaluatable(c, mapper))
    {
        return Err(PyErr::new(
            crate::python::ExcType::InvalidRequestError,
            format!(
                "Could not evaluate current criteria in Python: \"{why}\". Specify 'fetch' or False for the synchronize_session execution option."
            ),
        ));
    }
    let dialect = session.dialect();
    // "auto" evaluates the criteria in Python; criteria SQLAlchemy's
    // evaluator cannot evaluate (`LIKE`, `BETWEEN`, functions …) make it
    // fall back to "fetch".
    let fetch_keys = stmt.fetch
        || stmt.mapper.as_ref().is_some_and(|m| {
            stmt.synchronize_session && stmt.where_.iter().any(|c| unevaluatable(c, m).is_some())
        });
    let fetch = stmt.mapper.is_some() && synchronize && fetch_keys && stmt.kind != DmlKind::Insert;
    // "fetch": the primary key first, the statement's own columns after it
    let mut sent = stmt.clone();
    let pk = stmt.table.primary_key();
    if fetch {
        sent.returning = pk.clone();
        for c in &stmt.returning {
            if !sent.returning.contains(c) {
                sent.returning.push(*c);
            }
        }
    }
    let (mut compiled, warnings) = match sent.compile_linted(dialect) {
        Ok(c) => c,
        // the session's connection (its BEGIN) comes before the compile
        Err(e) if matches!(e.exc, ExcType::CompileError | ExcType::AttributeError) => {
            session.begin_for_flush()?;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    super::session::warn_from_linting(&session.db, &compiled.sql, warnings);
    super::expression::resolve_bind_callables(&mut compiled)?;
    session.begin_for_flush()?;
    let done = session.run_dml(&compiled, Cause::Query)?;
    if let Some(mapper) = stmt.mapper.as_ref()
        && synchronize
        && stmt.synchronize_session
        && stmt.kind != DmlKind::Insert
    {
        let keys: Vec<Vec<SqlValue>>;
        let fetched = if fetch {
            keys = done
                .returned
                .iter()
                .map(|row| row.iter().take(pk.len()).cloned().collect())
                .collect();
            Some(keys.as_slice())
        } else {
            None
        };
        synchronize_session(session, stmt, mapper, fetched)?;
    }
    let rowcount = if !stmt.returning.is_empty() && dialect.name == "sqlite" {
        // pysqlite counts the changes once the statement has run to its
        // end: not yet while the statement's RETURNING rows wait to be
        // fetched ("fetch" synchronization's own are read at once)
        0
    } else {
        done.rows_affected as i64
    };
    if stmt.returning.is_empty() {
        return Ok(BulkResult {
            rowcount,
            returned: None,
        });
    }
    // the statement's own columns, out of what RETURNING sent back
    let at: Vec<usize> = stmt
        .returning
        .iter()
        .filter_map(|c| sent.returning.iter().position(|s| s == c))
        .collect();
    let rows: Vec<Vec<SqlValue>> = done
        .returned
        .iter()
        .map(|row| at.iter().filter_map(|&i| row.get(i).cloned()).collect())
        .collect();
    let returned = match stmt.mapper.as_ref() {
        Some(mapper) if stmt.returning_entity => {
            let mut objects = Vec::new();
            for row in &rows {
                if let Some(o) = session.load_row_with(mapper, row, 0, stmt.populate_existing)? {
                    objects.push(vec![super::state::instance_value(o)]);
                }
            }
            (vec![mapper.class_name.to_string()], objects)
        }
        _ => super::expression::returned_columns(&stmt.table, &stmt.returning, &rows),
    };
    Ok(BulkResult {
        rowcount,
        returned: Some(returned),
    })
}

/// SQLAlchemy's "evaluate" synchronization: objects of the mapper in the
/// identity map whose loaded values match the criteria get the new values
/// (UPDATE) or leave the session as deleted (DELETE). With `fetched` (the
/// primary keys an UPDATE/DELETE … RETURNING gave, "fetch"), the objects
/// with those keys are the matched ones instead.
fn synchronize_session(
    session: &Rc<Session>,
    stmt: &DmlStatement,
    mapper: &Rc<Mapper>,
    fetched: Option<&[Vec<SqlValue>]>,
) -> PyResult<()> {
    let pk = mapper.primary_key();
    for obj in session.identity_objects() {
        if !Rc::ptr_eq(&obj.borrow().mapper, mapper) {
            continue;
        }
        let matches = match fetched {
            Some(rows) => {
                let key: Option<Vec<SqlValue>> = pk
                    .iter()
                    .map(|i| {
                        let name = mapper.column_key(*i)?;
                        let v = obj.borrow().dict.get(name).cloned()?;
                        bind_value(&v, mapper.table.columns.get(*i).map(|c| &c.sql_type)).ok()
                    })
                    .collect();
                key.is_some_and(|k| rows.contains(&k))
            }
            None => stmt
                .where_
                .iter()
                .all(|c| matches!(evaluate(c, &obj, mapper), Some(SqlValue::Integer(n)) if n != 0)),
        };
        if !matches {
            continue;
        }
        match stmt.kind {
            DmlKind::Update => {
                for (col, v) in &stmt.values {
                    let Some(key) = mapper.column_key(*col).map(str::to_string) else {
                        continue;
                    };
                    let ty = mapper.table.columns.get(*col).map(|c| c.sql_type.clone());
                    let new_sql = match v {
                        v if super::expression::is_sql(v) => {
                            let e = coerce(v, ty.as_ref())?.expr;
                            evaluate(&e, &obj, mapper)
                        }
                        other => Some(bind_value(other, ty.as_ref())?),
                    };
                    let mut b = obj.borrow_mut();
                    match new_sql {
                        Some(sv) => {
                            b.dict.insert(&key, result_value(&sv, ty.as_ref()));
                            if let Some(r) = b.rare_if_any() {
                                r.committed.remove(&key);
                            }
                        }
                        None => {
                            b.dict.remove(&key);
                            b.expire_attribute(&key);
                        }
                    }
                }
            }
            DmlKind::Delete => session.mark_bulk_deleted(&obj),
            DmlKind::Insert => {}
        }
    }
    Ok(())
}

/// Why SQLAlchemy's `_EvaluatorCompiler` cannot evaluate `e` in Python
/// against objects of `mapper` (its `UnevaluatableError` message, with the
/// operator function's address fixed), or `None` when it can: its
/// columns, bound values, `NULL`/`TRUE`/`FALSE`, comparisons, `IS`, `IN`
/// with values, arithmetic, `||`, `startswith`/`endswith`, `AND`/`OR`/
/// `NOT`. Anything else (`LIKE`, `BETWEEN`, functions, subqueries) makes
/// "auto" synchronization fetch instead, and "evaluate" raise.
fn unevaluatable(e: &Expr, mapper: &Mapper) -> Option<String> {
    let op_fn = |name: &str| {
        Some(format!(
            "Cannot evaluate BinaryExpression with operator <function {name} at 0x7f5e3b1c6e80>"
        ))
    };
    match e {
        Expr::Column(c) => match &c.from {
            Selectable::Table(t)
                if Rc::ptr_eq(t, &mapper.table) && mapper.column_key(c.index).is_some() =>
            {
                None
            }
            Selectable::Table(t) => Some(format!(
                "Cannot evaluate column: {}.{}",
                t.name,
                t.columns.get(c.index).map_or("", |col| col.name.as_str())
            )),
            _ => Some("Cannot evaluate Column".into()),
        },
        Expr::Bind(_) | Expr::BindParam { .. } | Expr::Null | Expr::True | Expr::False => None,
        Expr::Grouping(inner) | Expr::Not(inner) => unevaluatable(inner, mapper),
        Expr::Binary { left, op, right } => {
            if let Some(why) = unevaluatable(left, mapper) {
                return Some(why);
            }
            let right_why = match &**right {
                Expr::LikePattern { value, .. } => unevaluatable(value, mapper),
                r => unevaluatable(r, mapper),
            };
            match (op, &**right) {
                (
                    Operator::Like,
                    Expr::LikePattern {
                        leading, trailing, ..
                    },
                ) if leading != trailing => right_why,
                (Operator::Like, Expr::LikePattern { .. }) => op_fn("contains_op"),
                (Operator::Like, _) => op_fn("like_op"),
                (Operator::NotLike, _) => op_fn("not_like_op"),
                (Operator::ILike, _) => op_fn("ilike_op"),
                (Operator::NotILike, _) => op_fn("not_ilike_op"),
                _ => right_why,
            }
        }
        Expr::In { left, values, .. } => unevaluatable(left, mapper)
            .or_else(|| values.iter().find_map(|v| unevaluatable(v, mapper))),
        Expr::BoolList { clauses, .. } => clauses.iter().find_map(|c| unevaluatable(c, mapper)),
        Expr::Between { negated, .. } => op_fn(if *negated {
            "not_between_op"
        } else {
            "between_op"
        }),
        Expr::Function { .. } => Some("Cannot evaluate Function".into()),
        Expr::ScalarSelect(_) | Expr::Exists(_) => Some("Cannot evaluate Select".into()),
        _ => Some("Cannot evaluate ClauseElement".into()),
    }
}

/// Evaluates a criterion or value against an object's loaded attributes,
/// in SQLite's terms (`None` when it cannot: an unloaded attribute, an
/// unsupported construct, or SQL NULL).
fn evaluate(e: &Expr, obj: &Obj, mapper: &Mapper) -> Option<SqlValue> {
    let truth = |b: bool| Some(SqlValue::Integer(b as i64));
    match e {
        Expr::Column(c) => {
            let Selectable::Table(t) = &c.from else {
                return None;
            };
            if !Rc::ptr_eq(t, &mapper.table) {
                return None;
            }
            let key = mapper.column_key(c.index)?;
            let v = obj.borrow().dict.get(key).cloned()?;
            bind_value(&v, t.columns.get(c.index).map(|col| &col.sql_type)).ok()
        }
        Expr::Bind(v) => Some(v.value.clone()),
        Expr::True => truth(true),
        Expr::False => truth(false),
        Expr::Null => Some(SqlValue::Null),
        Expr::Grouping(inner) => evaluate(inner, obj, mapper),
        // `startswith()` / `endswith()`: `str.startswith` / `str.endswith`
        Expr::Binary {
            left,
            op: Operator::Like,
            right,
        } if let Expr::LikePattern {
            value,
            leading,
            trailing,
        } = &**right
            && leading != trailing =>
        {
            match (evaluate(left, obj, mapper)?, evaluate(value, obj, mapper)?) {
                (SqlValue::Text(l), SqlValue::Text(r)) => truth(match trailing {
                    true => l.starts_with(&r),
                    false => l.ends_with(&r),
                }),
                _ => None,
            }
        }
        Expr::Binary { left, op, right } => {
            let l = evaluate(left, obj, mapper)?;
            let r = evaluate(right, obj, mapper)?;
            match op {
                Operator::Is => truth(l == r),
                Operator::IsNot => truth(l != r),
                _ if l == SqlValue::Null || r == SqlValue::Null => None,
                Operator::Eq => truth(compare(&l, &r)? == std::cmp::Ordering::Equal),
                Operator::Ne => truth(compare(&l, &r)? != std::cmp::Ordering::Equal),
                Operator::Lt => truth(compare(&l, &r)?.is_lt()),
                Operator::Le => truth(compare(&l, &r)?.is_le()),
                Operator::Gt => truth(compare(&l, &r)?.is_gt()),
                Operator::Ge => truth(compare(&l, &r)?.is_ge()),
                Operator::Concat => match (l, r) {
                    (SqlValue::Text(a), SqlValue::Text(b)) => Some(SqlValue::Text(a + &b)),
                    _ => None,
                },
                Operator::Add | Operator::Sub | Operator::Mul => match (l, r) {
                    (SqlValue::Integer(a), SqlValue::Integer(b)) => {
                        Some(SqlValue::Integer(match op {
                            Operator::Add => a.checked_add(b)?,
                            Operator::Sub => a.checked_sub(b)?,
                            _ => a.checked_mul(b)?,
                        }))
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        Expr::In {
            left,
            values,
            negated,
        } => {
            let l = evaluate(left, obj, mapper)?;
            let mut found = false;
            for v in values {
                let r = evaluate(v, obj, mapper)?;
                if compare(&l, &r) == Some(std::cmp::Ordering::Equal) {
                    found = true;
                }
            }
            truth(found != *negated)
        }
        Expr::Between {
            expr,
            low,
            high,
            negated,
        } => {
            let x = evaluate(expr, obj, mapper)?;
            let lo = evaluate(low, obj, mapper)?;
            let hi = evaluate(high, obj, mapper)?;
            let inside = compare(&x, &lo)?.is_ge() && compare(&x, &hi)?.is_le();
            truth(inside != *negated)
        }
        Expr::BoolList { op, clauses } => {
            let mut results = Vec::new();
            for c in clauses {
                results.push(matches!(evaluate(c, obj, mapper)?, SqlValue::Integer(n) if n != 0));
            }
            truth(match op {
                BoolOp::And => results.iter().all(|b| *b),
                BoolOp::Or => results.iter().any(|b| *b),
            })
        }
        Expr::Not(inner) => match evaluate(inner, obj, mapper)? {
            SqlValue::Integer(n) => truth(n == 0),
            _ => None,
        },
        _ => None,
    }
}

fn compare(a: &SqlValue, b: &SqlValue) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (SqlValue::Integer(x), SqlValue::Integer(y)) => Some(x.cmp(y)),
        (SqlValue::Integer(x), SqlValue::Real(y)) => (*x as f64).partial_cmp(y),
        (SqlValue::Real(x), SqlValue::Integer(y)) => x.partial_cmp(&(*y as f64)),
        (SqlValue::Real(x), SqlValue::Real(y)) => x.partial_cmp(y),
        (SqlValue::Text(x), SqlValue::Text(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
