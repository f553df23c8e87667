//! ORM queries: `session.query(...)` (legacy `Query`) and `select(...)`
//! (2.0 style) share one immutable, generative description that turns into
//! a Core SELECT when run, with SQLAlchemy's label style for each.

use std::rc::Rc;

use crate::python::exceptions::{PyErr, PyResult, invalid_request};
use crate::python::value::Value;
use crate::sql::elements::{
    Alias, Compound, CompoundKeyword, Expr, FromClause, Join, LabelStyle, Name, Select, Selectable,
    Subquery,
};
use crate::sql::schema::{SqlValue, TableRef};

use super::expression::SqlExpr;
use super::mapper::{AttrKind, AttrRef, Direction, Mapper, fk_pairs};
use super::session::Session;
use super::strategy_options::{LoadedColumns, LoaderOption, loaded_columns};
use crate::python::ExcType;

/// Which API made the query.
#[derive(Debug, Clone)]
pub enum QueryStyle {
    /// `session.query(...)`: bound to its session; labels `users_id`.
    Legacy(Rc<Session>),
    /// `select(...)`: run with `session.execute()`; unlabelled columns.
    Select,
}

/// One thing the query selects.
#[derive(Debug, Clone)]
pub enum Entity {
    /// A mapped class: one object per row; with an alias for `aliased(User)`
    /// (its columns read from `users AS users_1`), and the `name=` of an
    /// `aliased(User, subq, name="u")` over a selectable, its row key.
    Mapper(Rc<Mapper>, Option<Selectable>, Option<Rc<str>>),
    /// A column expression: one value per row.
    Column(SqlExpr),
    /// A `Bundle`: its columns, read back as one `Row` per row.
    Bundle(Rc<super::util::Bundle>),
}

impl Entity {
    /// The FROM object a mapped entity's columns come from: its alias or
    /// its table; `None` for a column entity.
    pub fn selectable(&self) -> Option<Selectable> {
        match self {
            Entity::Mapper(_, Some(s), _) => Some(s.clone()),
            Entity::Mapper(m, None, _) => Some(Selectable::Table(m.table.clone())),
            Entity::Column(_) | Entity::Bundle(_) => None,
        }
    }
}

/// What a `.join()` joins to.
#[derive(Debug, Clone)]
pub enum JoinTarget {
    /// `join(User.role)`: along a relationship.
    Relationship(AttrRef),
    /// `join(Message)` or `join(Message, on)`.
    Mapper(Rc<Mapper>),
    /// `join(user_groups, on)`.
    Table(TableRef),
    /// `join(subq, on)`: a `Select.subquery()`.
    Subquery(Rc<Subquery>),
    /// `join(aliased(User), on)`, `join(user_groups.alias(), on)`: a table
    /// alias, with its mapper when it is an `aliased()` class.
    Alias(Rc<Alias>, Option<Rc<Mapper>>),
}

#[derive(Debug, Clone)]
pub struct JoinSpec {
    pub target: JoinTarget,
    pub on: Option<Expr>,
    pub outer: bool,
    /// `join(..., full=True)`: a `FULL OUTER JOIN`.
    pub full: bool,
}

/// An ORM query, not yet run.
#[derive(Debug, Clone)]
pub struct Query {
    pub style: QueryStyle,
    pub entities: Vec<Entity>,
    pub where_: Vec<Expr>,
    pub order_by: Vec<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Vec<Expr>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    pub distinct: bool,
    pub joins: Vec<JoinSpec>,
    pub select_from: Vec<Selectable>,
    /// `select_from(j)` of a whole join kept as one FROM entry (after other
    /// FROM entries, or nested on its right, `a JOIN (b JOIN c)`): each
    /// with the number of `select_from` entries before it.
    pub select_from_joins: Vec<(usize, FromClause)>,
    pub options: Vec<Rc<LoaderOption>>,
    /// `populate_existing`: objects already in the identity map are
    /// overwritten from the rows (SQLAlchemy's execution option).
    pub populate_existing: bool,
    /// The `autoflush` execution option: `False` runs the query without
    /// flushing first (SQLAlchemy's `ORMExecuteState` `autoflush`).
    pub autoflush: bool,
    /// The `yield_per` execution option (legacy `Query.yield_per(n)`): rows
    /// come in batches of `n`, each batch's selectin loads after it, and the
    /// result's `partitions()`/`fetchmany()` take `n` by default.
    pub yield_per: Option<usize>,
    /// `union(a, b)`: the query is a compound select of these queries; its
    /// entities are the first one's, and only its ORDER BY / LIMIT / OFFSET
    /// are its own (SQLAlchemy's `CompoundSelect`).
    pub compound: Option<Rc<CompoundQuery>>,
    /// Set on the `AppenderQuery` of a `lazy="dynamic"` relationship (and
    /// the queries built from it): the object and relationship whose
    /// `append()`/`remove()` it takes.
    pub dynamic: Option<super::dynamic::DynamicParent>,
    /// `Select.correlate_except(...)`: see
    /// [`crate::sql::elements::Select::correlate_except`].
    pub correlate_except: Option<Vec<Selectable>>,
    /// `Select.correlate(...)`: see
    /// [`crate::sql::elements::Select::correlate`].
    pub correlate: Option<Vec<Selectable>>,
    /// `with_for_update(...)`: see [`crate::sql::elements::ForUpdate`].
    pub for_update: Option<crate::sql::elements::ForUpdate>,
}

/// The parts of a compound select, as SQLAlchemy's `CompoundSelect`.
#[derive(Debug, Clone)]
pub struct CompoundQuery {
    pub keyword: CompoundKeyword,
    pub selects: Vec<Query>,
}

/// Where each entity's values sit in a result row.
#[derive(Debug, Clone)]
pub struct RowPlan {
    /// Per entity, the index of its first column in the row.
    pub offsets: Vec<usize>,
    /// Joined eager loads, parents before their children.
    pub joined: Vec<JoinedEager>,
    /// Per entity, the columns it selects when `load_only()`/`defer()` or
    /// a `deferred()` column leave some out (`None`: all, in table order).
    pub columns: Vec<Option<LoadedColumns>>,
}

/// What a joined eager load hangs from: a query entity or another joined load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinedParent {
    Entity(usize),
    Joined(usize),
}

/// The columns of one joined eager load in a result row.
#[derive(Debug, Clone)]
pub struct JoinedEager {
    pub parent: JoinedParent,
    pub attr: AttrRef,
    /// Index of the target's first column in the row.
    pub offset: usize,
    /// Loader options that continue below this load (first step removed).
    pub child_options: Vec<Rc<LoaderOption>>,
    /// The target's columns, when some are deferred (`None`: all).
    pub columns: Option<LoadedColumns>,
}

/// A selectable whose columns for one table start at `offset` (a table or
/// alias: 0; a wrapping subquery: where that entity's columns start).
#[derive(Debug, Clone)]
pub struct ParentRef {
    pub sel: Selectable,
    pub offset: usize,
}

impl ParentRef {
    pub fn table(sel: Selectable) -> ParentRef {
        ParentRef { sel, offset: 0 }
    }

    pub fn col(&self, i: usize) -> Expr {
        Expr::column(&self.sel, self.offset + i)
    }
}

/// The ON clause of a relationship between `parent` (of `parent_table`)
/// and `target` (referenced column = foreign-key column, whichever side
/// starts), AND a `primaryjoin=`'s other criteria on the same two.
pub fn relationship_condition(
    res: &super::mapper::Resolved,
    parent_table: &TableRef,
    parent: &ParentRef,
    target: &ParentRef,
) -> PyResult<Expr> {
    let on = relationship_join_condition(res, &parent.sel, &target.sel)
        .map_columns(&|c| adapt_offset(c, parent, target));
    Ok(
        match res.extra_clause(parent_table, &|c| Ok(parent.col(c)), &|c| Ok(target.col(c)))? {
            Some(extra) => Expr::and(vec![on, extra]),
            None => on,
        },
    )
}

fn adapt_offset(
    c: &crate::sql::elements::ColumnRef,
    parent: &ParentRef,
    target: &ParentRef,
) -> Option<Expr> {
    if c.from.same(&parent.sel) && parent.offset > 0 {
        return Some(parent.col(c.index));
    }
    if c.from.same(&target.sel) && target.offset > 0 {
        return Some(target.col(c.index));
    }
    None
}

impl Query {
    /// This query with LIMIT/OFFSET for the slice `[start:stop]` of its
    /// rows, as SQLAlchemy 2.0's `sql.util._make_slice()` (behind
    /// `Query.slice()`, `Select.slice()` and `query[a:b]`): a start adds to
    /// the offset already set (none when the sum is 0 — SQLite's compiler
    /// still writes `OFFSET ?`), a stop sets the limit to `stop - start`.
    pub fn sliced(&self, start: Option<i64>, stop: Option<i64>) -> Query {
        let mut q = self.clone();
        if let Some(start) = start {
            let offset = self.offset.unwrap_or(0) + start;
            q.offset = (offset != 0).then_some(offset);
        }
        if let Some(stop) = stop {
            q.limit = Some(stop - start.unwrap_or(0));
        }
        q
    }

    pub fn new(style: QueryStyle, entities: Vec<Entity>) -> Query {
        Query {
            style,
            entities,
            where_: Vec::new(),
            order_by: Vec::new(),
            group_by: Vec::new(),
            having: Vec::new(),
            limit: None,
            offset: None,
            distinct: false,
            joins: Vec::new(),
            select_from: Vec::new(),
            select_from_joins: Vec::new(),
            options: Vec::new(),
            populate_existing: false,
            autoflush: true,
            yield_per: None,
            compound: None,
            dynamic: None,
            correlate_except: None,
            correlate: None,
            for_update: None,
        }
    }

    /// `union(a, b, …)` / `union_all(…)` / `a.union(b)`: a compound select of
    /// `selects`, as SQLAlchemy 2.0 `CompoundSelect`. Its result columns are
    /// the first select's.
    ///
    /// Errors: `NotImplementedError` for selects with their own ORDER BY /
    /// LIMIT / OFFSET (not supported yet); selects of whole entities work
    /// only through `.subquery()` (see [`Query::to_select`]).
    pub fn compound_of(keyword: CompoundKeyword, selects: Vec<Query>) -> PyResult<Query> {
        for s in &selects {
            if s.compound.is_none()
                && (!s.order_by.is_empty() || s.limit.is_some() || s.offset.is_some())
            {
                return Err(PyErr::unsupported(
                    "union() / union_all() of a select that has its own ORDER BY, LIMIT or OFFSET",
                ));
            }
            if s.compound.is_some() {
                return Err(PyErr::unsupported(
                    "a union() / union_all() nested in another one",
                ));
            }
        }
        let entities = selects
            .first()
            .map(|s| s.entities.clone())
            .unwrap_or_default();
        let mut q = Query::new(QueryStyle::Select, entities);
        q.compound = Some(Rc::new(CompoundQuery { keyword, selects }));
        Ok(q)
    }

    /// The compound select's SELECT: its selects, then its own ORDER BY /
    /// LIMIT / OFFSET.
    ///
    /// Errors: `CompileError` as SQLAlchemy's when the selects have
    /// different numbers of columns.
    fn build_compound(&self, c: &CompoundQuery) -> PyResult<(Select, RowPlan)> {
        let mut selects = Vec::with_capacity(c.selects.len());
        let mut plan = None;
        for (i, q) in c.selects.iter().enumerate() {
            let (select, p) = q.to_select_plain()?;
            if let Some(first) = selects.first().map(|s: &Select| s.columns.len())
                && first != select.columns.len()
            {
                return Err(PyErr::new(
                    ExcType::CompileError,
                    format!(
                        "All selectables passed to CompoundSelect must have identical numbers of columns; select #1 has {first} columns, select #{} has {}",
                        i + 1,
                        select.columns.len()
                    ),
                ));
            }
            plan.get_or_insert(p);
            selects.push(select);
        }
        let columns = selects
            .first()
            .map(|s| s.columns.clone())
            .unwrap_or_default();
        let mut select = Select::new(columns, self.label_style());
        select.order_by = self.order_by.clone();
        select.limit = self.limit.map(|n| Expr::Bind(SqlValue::Integer(n).into()));
        select.offset = self.offset.map(|n| Expr::Bind(SqlValue::Integer(n).into()));
        select.compound = Some(Box::new(Compound {
            keyword: c.keyword,
            selects,
        }));
        let plan = plan.unwrap_or(RowPlan {
            offsets: Vec::new(),
            joined: Vec::new(),
            columns: Vec::new(),
        });
        Ok((select, plan))
    }

    /// `query.populate_existing()` (legacy `Query`) or
    /// `select(...).execution_options(populate_existing=True)`: a copy of
    /// the query that overwrites objects already in the identity map.
    pub fn with_populate_existing(&self) -> Query {
        Query {
            populate_existing: true,
            ..self.clone()
        }
    }

    /// `select(...).execution_options(name=value)` (and `Session.execute(...,
    /// execution_options={...})`, legacy `Query.execution_options()`): a copy
    /// of the query with the ORM execution option `name` set, as SQLAlchemy
    /// 2.0 `Executable.execution_options()`. `populate_existing`,
    /// `autoflush` and `yield_per` change the load; `stream_results` and
    /// `max_row_buffer` only how the driver buffers rows, which nothing
    /// shows.
    ///
    /// Errors: `NotImplementedError` for other options (`identity_token`,
    /// `schema_translate_map`, …) and a `yield_per` that is not a positive
    /// integer.
    pub fn with_execution_option(&self, name: &str, value: &Value) -> PyResult<Query> {
        let mut q = self.clone();
        match name {
            "populate_existing" => q.populate_existing = value.truthy(),
            "autoflush" => q.autoflush = value.truthy(),
            "yield_per" => match value {
                Value::Int(n) if *n > 0 => q.yield_per = usize::try_from(*n).ok(),
                _ => {
                    return Err(PyErr::unsupported(
                        "the execution option 'yield_per' other than a positive integer",
                    ));
                }
            },
            "stream_results" | "max_row_buffer" => {}
            other => {
                return Err(PyErr::unsupported(format!(
                    "the execution option '{other}'"
                )));
            }
        }
        Ok(q)
    }

    pub fn is_legacy(&self) -> bool {
        matches!(self.style, QueryStyle::Legacy(_))
    }

    /// `Query` or `Select`, as `type(q).__name__`.
    pub fn python_type_name(&self) -> &'static str {
        if self.dynamic.is_some() && self.is_legacy() {
            "AppenderQuery"
        } else if self.is_legacy() {
            "Query"
        } else if self.compound.is_some() {
            "CompoundSelect"
        } else {
            "Select"
        }
    }

    pub fn label_style(&self) -> LabelStyle {
        if self.is_legacy() {
            LabelStyle::TablenamePlusCol
        } else {
            LabelStyle::DisambiguateOnly
        }
    }

    /// The mapper of the first entity, if it is a class.
    pub fn primary_mapper(&self) -> Option<Rc<Mapper>> {
        if let Some(Entity::Mapper(m, ..)) = self.entities.first() {
            return Some(m.clone());
        }
        None
    }

    /// The entity `filter_by()` keywords refer to, with its alias: the last
    /// joined entity, or the first entity (SQLAlchemy's `_filter_by_zero`).
    pub fn filter_by_entity(&self) -> Option<(Rc<Mapper>, Option<Selectable>)> {
        if let Some(j) = self.joins.last() {
            match &j.target {
                JoinTarget::Mapper(m) => return Some((m.clone(), None)),
                JoinTarget::Alias(a, Some(m)) => {
                    return Some((m.clone(), Some(Selectable::Alias(a.clone()))));
                }
                JoinTarget::Relationship(a) => {
                    if let AttrKind::Relationship(r) = &a.kind
                        && let Ok(res) = r.resolve()
                    {
                        return Some((res.target.clone(), a.of_type.clone()));
                    }
                }
                JoinTarget::Table(_) | JoinTarget::Subquery(_) | JoinTarget::Alias(_, None) => {}
            }
        }
        if let Some(Selectable::Table(t)) = self.select_from.first()
            && let Some(m) = self.entities.iter().find_map(|e| match e {
                Entity::Mapper(m, None, _) if Rc::ptr_eq(&m.table, t) => Some(m.clone()),
                _ => None,
            })
        {
            return Some((m, None));
        }
        match self.entities.first() {
            Some(Entity::Mapper(m, a, _)) => Some((m.clone(), a.clone())),
            _ => None,
        }
    }

    /// Builds the SELECT this query runs, with the row plan to read it.
    ///
    /// Joined eager loads (`joinedload`) add `LEFT OUTER JOIN target AS
    /// target_1` and the alias's columns after the entities' columns, as
    /// SQLAlchemy's `JoinedLoader` does.
    pub fn to_select(&self) -> PyResult<(Select, RowPlan)> {
        if self.compound.is_some()
            && self
                .entities
                .iter()
                .any(|e| matches!(e, Entity::Mapper(..)))
        {
            // Only as a subquery (`aliased(User, union_all(...).subquery())`).
            return Err(PyErr::unsupported(
                "union() / union_all() of selects of whole entities such as select(User), except through .subquery()",
            ));
        }
        self.build_select(true)
    }

    /// The SELECT of a statement given to `select(User).from_statement(…)`:
    /// as [`Query::to_select`], and also a compound select of whole
    /// entities (`union_all(select(User).where(…), select(User).where(…))`),
    /// whose rows load the first select's entities.
    pub fn to_select_for_statement(&self) -> PyResult<(Select, RowPlan)> {
        self.build_select(true)
    }

    /// The SELECT without eager loads (the inner query of a subquery load).
    pub fn to_select_plain(&self) -> PyResult<(Select, RowPlan)> {
        self.build_select(false)
    }

    /// The SELECT list of the entities: per mapped entity its
    /// `contains_eager()` targets' columns, then its own (those
    /// `load_only()`/`defer()` leave); per column entity the expression.
    /// Also where each entity starts and which columns each loads.
    #[allow(clippy::type_complexity)]
    fn entity_columns(
        &self,
        eager: bool,
        joined: &mut Vec<JoinedEager>,
    ) -> PyResult<(
        Vec<Expr>,
        Vec<usize>,
        Vec<Option<LoadedColumns>>,
        Vec<Option<u64>>,
    )> {
        let mut columns = Vec::new();
        let mut ids = Vec::new();
        let mut offsets = Vec::new();
        let mut entity_columns = Vec::new();
        for (entity_index, e) in self.entities.iter().enumerate() {
            match e {
                Entity::Mapper(m, ..) => {
                    let from = e.selectable().unwrap_or(Selectable::Table(m.table.clone()));
                    let mut loaded = loaded_columns(m, &self.options);
                    if let Selectable::Subquery(sq) = &from
                        && sq.adapts.is_some()
                    {
                        // An `aliased()` view of a subquery lacking some of
                        // the table's columns: those stay unloaded, and load
                        // together at the first access of one.
                        loaded.cols.retain(|c| sq.adapts_column(*c) == Some(true));
                    }
                    let mut list = loaded.select_list(m, &from);
                    let mut list_ids = loaded.select_list_ids(m, &from);
                    let n_exprs = loaded.exprs.len().min(list.len());
                    // The entity's `column_property()`s, then its
                    // `contains_eager()` targets' columns, then its own
                    // columns (the mapper's properties in SQLAlchemy's
                    // order).
                    let start = columns.len();
                    columns.extend(list.drain(..n_exprs));
                    ids.extend(list_ids.drain(..n_exprs.min(list_ids.len())));
                    if eager {
                        let mut eager_columns = Vec::new();
                        super::strategies::add_contains_eager(
                            m,
                            &self.options,
                            JoinedParent::Entity(entity_index),
                            columns.len(),
                            &mut eager_columns,
                            joined,
                        )?;
                        ids.extend(eager_columns.iter().map(|_| None));
                        if n_exprs > 0 {
                            loaded.gap = eager_columns.len();
                        }
                        columns.extend(eager_columns);
                    }
                    offsets.push(if n_exprs > 0 { start } else { columns.len() });
                    columns.extend(list);
                    ids.extend(list_ids);
                    entity_columns.push((!loaded.is_full(m)).then_some(loaded));
                }
                Entity::Column(c) => {
                    offsets.push(columns.len());
                    columns.push(c.expr.clone());
                    ids.push(Some(c.id));
                    entity_columns.push(None);
                }
                Entity::Bundle(b) => {
                    offsets.push(columns.len());
                    for c in &b.exprs {
                        columns.push(c.expr.clone());
                        ids.push(Some(c.id));
                    }
                    entity_columns.push(None);
                }
            }
        }
        Ok((columns, offsets, entity_columns, ids))
    }

    fn build_select(&self, eager: bool) -> PyResult<(Select, RowPlan)> {
        if let Some(c) = &self.compound {
            return self.build_compound(c);
        }
        if eager {
            super::strategy_options::check_conflicts(&self.options)?;
        }
        let mut joined = Vec::new();
        let (columns, offsets, entity_columns, ids) = self.entity_columns(eager, &mut joined)?;
        let mut select = Select::new(columns, self.label_style());
        select.column_ids = ids;
        select.where_ = match &self.dynamic {
            // An `AppenderQuery`'s parent criterion, its parameters read
            // now, as SQLAlchemy's `with_parent()` evaluates them when the
            // statement runs (after the autoflush).
            Some(parent) => {
                let mut w = super::dynamic::criterion(parent)?;
                w.extend(self.where_.iter().cloned());
                w
            }
            _ => self.where_.clone(),
        };
        select.where_.extend(self.entity_loader_criteria());
        select.order_by = self.order_by.clone();
        select.group_by = self.group_by.clone();
        select.having = self.having.clone();
        select.distinct = self.distinct;
        select.correlate_except = self.correlate_except.clone();
        select.correlate = self.correlate.clone();
        select.for_update = self.for_update.clone();
        select.limit = self.limit.map(|n| Expr::Bind(SqlValue::Integer(n).into()));
        select.offset = self.offset.map(|n| Expr::Bind(SqlValue::Integer(n).into()));

        let mut from_list: Vec<FromClause> = self
            .select_from
            .iter()
            .map(|s| FromClause::Selectable(s.clone()))
            .collect();
        for (at, j) in self.select_from_joins.iter().rev() {
            from_list.insert((*at).min(from_list.len()), j.clone());
        }
        for join in &self.joins {
            self.add_join(join, &mut from_list)?;
        }
        let mut from_list = from_list.into_iter();
        let mut from: Option<FromClause> = from_list.next();
        for extra in from_list {
            select.froms.push(extra);
        }

        let wrap = eager
            && (self.limit.is_some() || self.offset.is_some() || self.distinct)
            && self.has_joined_collection()?;
        let mut parents: Vec<ParentRef> = self
            .entities
            .iter()
            .map(|e| match e.selectable() {
                Some(sel) => ParentRef::table(sel),
                None => ParentRef::table(Selectable::Table(Rc::new(
                    crate::sql::schema::Table::new(String::new(), Vec::new()),
                ))),
            })
            .collect();
        if wrap && !joined.is_empty() {
            return Err(PyErr::unsupported(
                "contains_eager() together with a joined eager load of a collection and LIMIT/OFFSET/DISTINCT",
            ));
        }
        if wrap && entity_columns.iter().any(Option::is_some) {
            return Err(PyErr::unsupported(
                "load_only()/defer() together with a joined eager load of a collection and LIMIT/OFFSET/DISTINCT",
            ));
        }
        if wrap {
            // SQLAlchemy nests the query in a subquery so LIMIT counts parent
            // rows, then joins the eager collections outside it.
            if let Some(f) = from.take() {
                select.froms.insert(0, f);
            }
            let inner_order = select.order_by.clone();
            let sub = Rc::new(Subquery::new(select, Name::Anon("anon".into()), false));
            let sub_sel = Selectable::Subquery(sub.clone());
            let mut outer = Select::new(
                (0..sub.select.columns.len())
                    .map(|i| Expr::column(&sub_sel, i))
                    .collect(),
                self.label_style(),
            );
            for (i, e) in self.entities.iter().enumerate() {
                if let Some(table_sel) = e.selectable() {
                    parents[i] = ParentRef {
                        sel: sub_sel.clone(),
                        offset: offsets[i],
                    };
                    let offset = offsets[i];
                    outer.order_by = outer_order_adapt(
                        &inner_order,
                        &table_sel,
                        &sub_sel,
                        offset,
                        &outer.order_by,
                    );
                }
            }
            if outer.order_by.is_empty() {
                outer.order_by = Vec::new();
            }
            // The lock is taken inside and outside, as SQLAlchemy's
            // `_compound_eager_statement` copies `_for_update_arg`.
            outer.for_update = self.for_update.clone();
            select = outer;
            from = Some(FromClause::Selectable(sub_sel));
        }
        let mut extra_froms: Vec<FromClause> = Vec::new();
        for (entity_index, e) in self.entities.iter().enumerate() {
            let Entity::Mapper(m, ..) = e else { continue };
            let own = parents[entity_index].sel.clone();
            let mut base = match from.take() {
                Some(f) if from_contains(&f, &own) => f,
                Some(f) => {
                    extra_froms.push(f);
                    // A later FROM entry (a join added beside the
                    // `select_from()`) may hold the entity.
                    match select.froms.iter().position(|x| from_contains(x, &own)) {
                        Some(i) => select.froms.remove(i),
                        None => FromClause::Selectable(own),
                    }
                }
                None => FromClause::Selectable(own),
            };
            if eager {
                super::strategies::add_joined_children(
                    &mut select.columns,
                    &mut base,
                    &mut select.order_by,
                    m,
                    &parents[entity_index],
                    &self.options,
                    &mut joined,
                    JoinedParent::Entity(entity_index),
                    0,
                )?;
                // The eager columns' labels stay keyed by position.
                select.column_ids.resize(select.columns.len(), None);
            }
            from = Some(base);
        }
        let mut explicit: Vec<FromClause> = from.into_iter().chain(extra_froms).collect();
        // `contains_eager()` targets' columns ahead of an entity's own (with
        // no join to hold them): the entity's table still leads the FROM
        // list, as SQLAlchemy's `_fallback_from_clauses`.
        let eager_first = joined.iter().any(|j| {
            matches!(j.parent, JoinedParent::Entity(i) if offsets.get(i).is_some_and(|&o| j.offset < o))
        });
        // A bare table adds nothing: the compiler derives it from the columns.
        if self.select_from.is_empty()
            && self.select_from_joins.is_empty()
            && self.joins.is_empty()
            && !wrap
            && !eager_first
        {
            explicit.retain(|f| !matches!(f, FromClause::Selectable(Selectable::Table(_))));
        }
        for (i, f) in explicit.into_iter().enumerate() {
            select.froms.insert(i, f);
        }
        Ok((
            select,
            RowPlan {
                offsets,
                joined,
                columns: entity_columns,
            },
        ))
    }

    /// The `with_loader_criteria()` criteria for the entities the statement
    /// selects, as SQLAlchemy's `_adjust_for_extra_criteria`: per entity (a
    /// mapped class, an `aliased()` one under `include_aliases=True`, or
    /// the entity a column expression reads from), once, in column order,
    /// each option's in option order; an entity a `.join()` brings gets
    /// them in its ON clause instead ([`Query::join_loader_criteria`]).
    fn entity_loader_criteria(&self) -> Vec<Expr> {
        if !self.options.iter().any(|o| o.loader_criteria.is_some()) {
            return Vec::new();
        }
        let mut seen: Vec<Selectable> = Vec::new();
        let mut out = Vec::new();
        for e in &self.entities {
            let sels: Vec<Selectable> = match e {
                Entity::Mapper(..) => e.selectable().into_iter().collect(),
                Entity::Column(c) => first_from(&c.expr).into_iter().collect(),
                Entity::Bundle(b) => b.exprs.iter().filter_map(|c| first_from(&c.expr)).collect(),
            };
            for sel in sels {
                if seen.iter().any(|s| s.same(&sel)) || self.joins_to(&sel) {
                    continue;
                }
                seen.push(sel.clone());
                let (table, alias) = match &sel {
                    Selectable::Table(t) => (t.clone(), false),
                    Selectable::Alias(a) => (a.table.clone(), true),
                    Selectable::Subquery(_) => continue,
                };
                for c in self
                    .options
                    .iter()
                    .filter_map(|o| o.loader_criteria.as_ref())
                {
                    if Rc::ptr_eq(&c.mapper.table, &table) && (!alias || c.include_aliases) {
                        out.push(c.on(&sel));
                    }
                }
            }
        }
        out
    }

    /// True when one of the query's `.join()`s brings `sel` (its target).
    fn joins_to(&self, sel: &Selectable) -> bool {
        self.joins.iter().any(|j| match &j.target {
            JoinTarget::Relationship(a) => match (&a.of_type, &a.kind) {
                (Some(alias), _) => alias.same(sel),
                (None, AttrKind::Relationship(rel)) => rel
                    .resolve()
                    .is_ok_and(|r| Selectable::Table(r.target.table.clone()).same(sel)),
                _ => false,
            },
            JoinTarget::Mapper(m) => Selectable::Table(m.table.clone()).same(sel),
            JoinTarget::Alias(a, Some(_)) => Selectable::Alias(a.clone()).same(sel),
            _ => false,
        })
    }

    /// `on` with the `with_loader_criteria()` criteria for `mapper` ANDed
    /// on, against `target` (its table, or an alias: then only options
    /// with `include_aliases=True`), as SQLAlchemy's `_ORMJoin` adds the
    /// joined entity's `_extra_criteria`.
    fn join_loader_criteria(&self, on: Expr, mapper: &Rc<Mapper>, target: &Selectable) -> Expr {
        let alias = !matches!(target, Selectable::Table(_));
        let criteria = super::strategy_options::loader_criteria_for(&self.options, mapper, alias);
        if criteria.is_empty() {
            return on;
        }
        let mut all = vec![on];
        all.extend(criteria.iter().map(|c| c.on(target)));
        Expr::and(all)
    }

    /// True when a joined eager load of a collection applies to this query
    /// (which then needs wrapping when it has LIMIT/OFFSET/DISTINCT).
    fn has_joined_collection(&self) -> PyResult<bool> {
        for e in &self.entities {
            let Entity::Mapper(m, ..) = e else { continue };
            for rel in m.relationships.borrow().iter() {
                let strategy = super::strategy_options::strategy_for(&self.options, m, rel);
                if strategy == super::strategy_options::Strategy::Joined && rel.resolve()?.uselist {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Adds one `.join()` to the FROM list, as SQLAlchemy's
    /// `_join_left_to_right`: a relationship join starts from the FROM entry
    /// that holds the relationship's parent (replacing it), or, when none
    /// does, is a new FROM entry `parent JOIN target` (so
    /// `select(Message).select_from(User).join(Message.user)` renders `FROM
    /// messages JOIN users ON …`, the lone `users` hidden inside the join);
    /// other joins start from the first FROM entry.
    fn add_join(&self, join: &JoinSpec, from_list: &mut Vec<FromClause>) -> PyResult<()> {
        if let JoinTarget::Relationship(a) = &join.target {
            let parent = a.parent_selectable();
            if let Some(i) = from_list.iter().position(|f| from_contains(f, &parent)) {
                from_list[i] = self.join_onto(join, from_list[i].clone())?;
            } else {
                from_list.push(self.join_onto(join, FromClause::Selectable(parent))?);
            }
            return Ok(());
        }
        match from_list.first_mut() {
            Some(first) => *first = self.join_onto(join, first.clone())?,
            None => {
                let left = FromClause::Selectable(self.join_left(join)?);
                from_list.push(self.join_onto(join, left)?);
            }
        }
        Ok(())
    }

    /// The left side of a join when there is no explicit FROM: the first
    /// entity's table (SQLAlchemy joins from the leftmost entity).
    fn join_left(&self, join: &JoinSpec) -> PyResult<Selectable> {
        if let JoinTarget::Relationship(a) = &join.target {
            return Ok(a.parent_selectable());
        }
        for e in &self.entities {
            match e {
                Entity::Mapper(..) => {
                    if let Some(sel) = e.selectable() {
                        return Ok(sel);
                    }
                }
                Entity::Column(c) => {
                    // A subquery's column (`select(subq1, subq2).join(…)`)
                    // joins from the subquery.
                    if let Expr::Column(col) = &c.expr
                        && let Selectable::Subquery(_) = &col.from
                    {
                        return Ok(col.from.clone());
                    }
                    if let Some(t) = first_table(&c.expr) {
                        return Ok(Selectable::Table(t));
                    }
                }
                Entity::Bundle(b) => {
                    if let Some(t) = b.exprs.iter().find_map(|c| first_table(&c.expr)) {
                        return Ok(Selectable::Table(t));
                    }
                }
            }
        }
        Err(invalid_request(
            "Don't know how to join; please use an ON clause to more clearly establish the left side of this join",
        ))
    }

    /// `left JOIN target ON …` for one `.join()` call; a many-to-many
    /// relationship joins through its secondary table.
    fn join_onto(&self, join: &JoinSpec, left: FromClause) -> PyResult<FromClause> {
        let make = |left: FromClause, right: Selectable, on: Expr| {
            FromClause::Join(Rc::new(Join {
                left,
                right: FromClause::Selectable(right),
                on,
                outer: join.outer,
                full: join.full,
            }))
        };
        match &join.target {
            JoinTarget::Relationship(a) => {
                let AttrKind::Relationship(rel) = &a.kind else {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!(
                            "Join target {} does not refer to a mapped entity",
                            a.qualified_name()
                        ),
                    ));
                };
                let res = rel.resolve()?;
                let parent = a.parent_selectable();
                if a.of_type.is_none()
                    && a.alias.is_none()
                    && Rc::ptr_eq(&a.mapper.table, &res.target.table)
                {
                    // `_ORMJoin`: joining an entity to itself needs an alias.
                    return Err(invalid_request(format!(
                        "Can't construct a join from Mapper[{0}({1})] to Mapper[{0}({1})], they are the same entity",
                        a.mapper.class_name, a.mapper.table.name
                    )));
                }
                let target = match &a.of_type {
                    Some(alias) => alias.clone(),
                    None => Selectable::Table(res.target.table.clone()),
                };
                if let Some((sec, _)) = &res.secondary {
                    // The secondary table is aliased (`user_groups AS user_groups_1`).
                    let sec_sel = Selectable::Alias(Rc::new(crate::sql::elements::Alias {
                        table: sec.clone(),
                        name: Name::Anon(sec.name.clone()),
                    }));
                    let (on1, on2) = res
                        .secondary_clauses(&|c| Expr::column(&parent, c), &sec_sel, &target)
                        .ok_or_else(|| PyErr::unsupported("join() along this relationship"))?;
                    let on2 = match a.criteria_on(&res.target.table, &target) {
                        Some(c) => Expr::and(vec![on2, c]),
                        None => on2,
                    };
                    let on2 = self.join_loader_criteria(on2, &res.target, &target);
                    let inner = make(left, sec_sel, on1);
                    return Ok(make(inner, target, on2));
                }
                let on = relationship_join_condition(&res, &parent, &target);
                // A `primaryjoin=`'s other criteria, on the join's own
                // FROM objects.
                let on = match res.extra_clause(
                    &a.mapper.table,
                    &|c| Ok(Expr::column(&parent, c)),
                    &|c| Ok(Expr::column(&target, c)),
                )? {
                    Some(extra) => Expr::and(vec![on, extra]),
                    None => on,
                };
                // `User.messages.and_(…)`'s criteria, on the target.
                let on = match a.criteria_on(&res.target.table, &target) {
                    Some(c) => Expr::and(vec![on, c]),
                    None => on,
                };
                let on = self.join_loader_criteria(on, &res.target, &target);
                Ok(make(left, target, on))
            }
            JoinTarget::Mapper(m) => {
                let right = Selectable::Table(m.table.clone());
                let on = match &join.on {
                    Some(on) => on.clone(),
                    None => fk_join_condition(&left, &right)?,
                };
                let on = self.join_loader_criteria(on, m, &right);
                Ok(make(left, right, on))
            }
            JoinTarget::Table(t) => {
                let right = Selectable::Table(t.clone());
                let on = match &join.on {
                    Some(on) => on.clone(),
                    None => fk_join_condition(&left, &right)?,
                };
                Ok(make(left, right, on))
            }
            JoinTarget::Alias(a, mapper) => {
                let right = Selectable::Alias(a.clone());
                let on = match &join.on {
                    Some(on) => on.clone(),
                    None => fk_join_condition(&left, &right)?,
                };
                let on = match mapper {
                    Some(m) => self.join_loader_criteria(on, m, &right),
                    None => on,
                };
                Ok(make(left, right, on))
            }
            JoinTarget::Subquery(sq) => {
                let right = Selectable::Subquery(sq.clone());
                let on = match &join.on {
                    Some(on) => on.clone(),
                    None => fk_join_condition(&left, &right)?,
                };
                Ok(make(left, right, on))
            }
        }
    }

    /// `SELECT count(*) AS count_1 FROM (<this query>) AS anon_1`, as
    /// SQLAlchemy 2.0's `Query.count()` builds it.
    pub fn count_select(&self) -> PyResult<Select> {
        let (inner, _) = self.to_select()?;
        let sub = Rc::new(Subquery::new(inner, Name::Anon("anon".into()), false));
        let mut outer = Select::new(
            vec![Expr::Function {
                name: "count".into(),
                args: vec![Expr::Star],
            }],
            self.label_style(),
        );
        outer
            .froms
            .push(FromClause::Selectable(Selectable::Subquery(sub)));
        // The lock again outside, as `Query.count()`'s `_from_self()`
        // carries `_for_update_arg` over.
        outer.for_update = self.for_update.clone();
        Ok(outer)
    }

    /// The query as a scalar subquery (`User.id.in_(select(...))`).
    pub fn scalar_subquery(&self) -> PyResult<Select> {
        let (mut select, _) = self.to_select()?;
        select.label_style = LabelStyle::DisambiguateOnly;
        Ok(select)
    }

    /// `Select.scalar_subquery()` / `Query.scalar_subquery()`: a column
    /// expression `(SELECT …)` typed as the query's first column, as
    /// SQLAlchemy's `ScalarSelect` (so `sq == 0` and `sq > 3` compare in SQL
    /// and `select(User.name, sq)` selects it).
    pub fn scalar_subquery_expr(&self) -> PyResult<SqlExpr> {
        let ty = match self.entities.first() {
            Some(Entity::Column(c)) => c.ty.clone(),
            _ => None,
        };
        Ok(SqlExpr::new(
            Expr::ScalarSelect(Box::new(self.scalar_subquery()?)),
            ty,
        ))
    }
}

/// `a.x = b.y AND …` for (column of `a`, column of `b`) pairs.
pub fn equal_pairs(a: &Selectable, b: &Selectable, pairs: &[(usize, usize)]) -> Expr {
    Expr::and(
        pairs
            .iter()
            .map(|(x, y)| {
                Expr::binary(
                    Expr::column(a, *x),
                    crate::sql::elements::Operator::Eq,
                    Expr::column(b, *y),
                )
            })
            .collect(),
    )
}

/// The ON clause of a relationship join: (referenced column = foreign-key
/// column), whichever side the join starts from; a primaryjoin with
/// `remote()` marks as written.
pub fn relationship_join_condition(
    res: &super::mapper::Resolved,
    parent: &Selectable,
    target: &Selectable,
) -> Expr {
    Expr::and(
        res.pairs
            .iter()
            .map(|(p, t)| {
                // pairs are (parent col, target col); a one-to-many's parent
                // holds the referenced column, first; a many-to-one's the
                // foreign key, the referenced (target) column first.
                let parent_first = res
                    .parent_first(*p, *t)
                    .unwrap_or(res.direction != Direction::ManyToOne);
                let (p, t) = (Expr::column(parent, *p), Expr::column(target, *t));
                let (left, right) = if parent_first { (p, t) } else { (t, p) };
                Expr::binary(left, crate::sql::elements::Operator::Eq, right)
            })
            .collect(),
    )
}

/// Every table inside a FROM clause, left to right.
pub fn tables_of(from: &FromClause, out: &mut Vec<TableRef>) {
    let mut sels = Vec::new();
    selectables_of(from, &mut sels);
    out.extend(sels.into_iter().map(|(_, t)| t));
}

/// Every table or table alias inside a FROM clause, left to right, with
/// its table.
fn selectables_of(from: &FromClause, out: &mut Vec<(Selectable, TableRef)>) {
    match from {
        FromClause::Selectable(s @ Selectable::Table(t)) => out.push((s.clone(), t.clone())),
        FromClause::Selectable(s @ Selectable::Alias(a)) => out.push((s.clone(), a.table.clone())),
        FromClause::Selectable(Selectable::Subquery(_)) => {}
        FromClause::Join(j) => {
            selectables_of(&j.left, out);
            selectables_of(&j.right, out);
        }
    }
}

/// The name SQLAlchemy gives a join target in its errors: `users` for a
/// table, `users_1`-style names for an alias.
fn target_name(sel: &Selectable) -> String {
    match sel {
        Selectable::Table(t) => t.name.clone(),
        Selectable::Alias(a) => match &a.name {
            Name::Fixed(n) => n.clone(),
            Name::Anon(base) => format!("{base}_1"),
        },
        Selectable::Subquery(_) => "anon_1".into(),
    }
}

/// The ON clause SQLAlchemy infers from foreign keys between the left side
/// and `right` (`users.id = messages.user_id`), tables or aliases.
///
/// Errors: `InvalidRequestError` when no foreign key links them.
fn fk_join_condition(left: &FromClause, right_sel: &Selectable) -> PyResult<Expr> {
    let mut sels = Vec::new();
    selectables_of(left, &mut sels);
    let right = match right_sel {
        Selectable::Table(t) => t.clone(),
        Selectable::Alias(a) => a.table.clone(),
        Selectable::Subquery(sq) => {
            for (left_sel, t) in &sels {
                if let Some(on) = subquery_fk_join_condition(left_sel, t, right_sel, sq) {
                    return Ok(on);
                }
            }
            return Err(PyErr::unsupported(
                "joining to a subquery that no foreign key links to",
            ));
        }
    };
    for (left_sel, t) in &sels {
        // right references left
        let pairs = fk_pairs(t, &right);
        if !pairs.is_empty() {
            return Ok(equal_pairs(left_sel, right_sel, &pairs));
        }
        let pairs = fk_pairs(&right, t);
        if !pairs.is_empty() {
            return Ok(equal_pairs(right_sel, left_sel, &pairs));
        }
    }
    let left_names: Vec<String> = sels.iter().map(|(s, _)| target_name(s)).collect();
    Err(invalid_request(format!(
        "Don't know how to join to <Mapper at 0x0; {}>. Please use the .select_from() method to establish an explicit left side, as well as providing an explicit ON clause if not present already to help resolve the ambiguity. (no foreign key links {} and {})",
        right.name,
        left_names.join(", "),
        target_name(right_sel)
    )))
}

/// The table column a subquery's column `i` proxies (a plain column of
/// its SELECT list, the first SELECT's for a compound), if any.
fn subquery_column_origin(sq: &Subquery, i: usize) -> Option<(TableRef, usize)> {
    match sq.select.columns.get(i)? {
        Expr::Column(c) => match &c.from {
            Selectable::Table(t) => Some((t.clone(), c.index)),
            Selectable::Alias(a) => Some((a.table.clone(), c.index)),
            Selectable::Subquery(_) => None,
        },
        _ => None,
    }
}

/// SQLAlchemy's `join_condition(left, subquery)` for a table (or alias)
/// `left_sel` of `table`: the subquery's columns whose origin references
/// the table (`users.id = anon_1.user_id`), else the table's foreign keys
/// to a table column the subquery selects (`anon_1.id = messages.user_id`),
/// as `_joincond_scan_left_right` pairs them. `None` when none links them.
fn subquery_fk_join_condition(
    left_sel: &Selectable,
    table: &TableRef,
    right_sel: &Selectable,
    sq: &Subquery,
) -> Option<Expr> {
    let n = sq.select.columns.len();
    let mut pairs = Vec::new();
    for i in 0..n {
        if let Some((ot, oc)) = subquery_column_origin(sq, i)
            && let Some(fk) = &ot.columns[oc].foreign_key
            && fk.table == table.name
            && let Some(j) = table.column_index(&fk.column)
        {
            pairs.push((j, i));
        }
    }
    if !pairs.is_empty() {
        return Some(equal_pairs(left_sel, right_sel, &pairs));
    }
    for (lc, col) in table.columns.iter().enumerate() {
        let Some(fk) = &col.foreign_key else { continue };
        for i in 0..n {
            if let Some((ot, oc)) = subquery_column_origin(sq, i)
                && ot.name == fk.table
                && ot.columns[oc].name == fk.column
            {
                pairs.push((i, lc));
                break;
            }
        }
    }
    if pairs.is_empty() {
        None
    } else {
        Some(equal_pairs(right_sel, left_sel, &pairs))
    }
}

/// The FROM object (table or alias) of the first column a column
/// expression reads, as [`first_table`] finds it.
fn first_from(e: &Expr) -> Option<Selectable> {
    match e {
        Expr::Column(c) => match &c.from {
            Selectable::Subquery(_) => None,
            other => Some(other.clone()),
        },
        Expr::Binary { left, right, .. } => first_from(left).or_else(|| first_from(right)),
        Expr::Function { args, .. } => args.iter().find_map(first_from),
        Expr::Label { expr, .. }
        | Expr::Not(expr)
        | Expr::Neg(expr)
        | Expr::Distinct(expr)
        | Expr::Asc(expr)
        | Expr::Desc(expr) => first_from(expr),
        Expr::In { left, .. } => first_from(left),
        Expr::Between { expr, .. } => first_from(expr),
        Expr::BoolList { clauses, .. } => clauses.iter().find_map(first_from),
        _ => None,
    }
}

/// The first table a column expression reads from.
pub fn first_table(e: &Expr) -> Option<TableRef> {
    match e {
        Expr::Column(c) => match &c.from {
            Selectable::Table(t) => Some(t.clone()),
            Selectable::Alias(a) => Some(a.table.clone()),
            Selectable::Subquery(_) => None,
        },
        Expr::Binary { left, right, .. } => first_table(left).or_else(|| first_table(right)),
        Expr::Function { args, .. } => args.iter().find_map(first_table),
        Expr::Label { expr, .. }
        | Expr::Not(expr)
        | Expr::Neg(expr)
        | Expr::Distinct(expr)
        | Expr::Asc(expr)
        | Expr::Desc(expr) => first_table(expr),
        Expr::In { left, .. } => first_table(left),
        Expr::Between { expr, .. } => first_table(expr),
        Expr::BoolList { clauses, .. } => clauses.iter().find_map(first_table),
        _ => None,
    }
}

/// The inner query's ORDER BY, against the wrapping subquery's columns.
fn outer_order_adapt(
    inner: &[Expr],
    table: &Selectable,
    sub: &Selectable,
    offset: usize,
    sofar: &[Expr],
) -> Vec<Expr> {
    let source: Vec<Expr> = if sofar.is_empty() {
        inner.to_vec()
    } else {
        sofar.to_vec()
    };
    source
        .iter()
        .map(|e| {
            e.map_columns(&|c| {
                if c.from.same(table) {
                    Some(Expr::column(sub, offset + c.index))
                } else {
                    None
                }
            })
        })
        .collect()
}

/// True when `from` is `sel` or a join containing it.
fn from_contains(from: &FromClause, sel: &Selectable) -> bool {
    match from {
        FromClause::Selectable(s) => s.same(sel),
        FromClause::Join(j) => from_contains(&j.left, sel) || from_contains(&j.right, sel),
    }
}

/// The row key for a column expression without a name (`count` for
/// `func.count(...)`).
pub fn expr_key(e: &Expr) -> String {
    expr_key_opt(e).unwrap_or_else(|| "anon_1".to_string())
}

/// [`expr_key`], `None` for an expression with no name of its own (`a +
/// b`), which SQLAlchemy leaves keyless where it has no label to fall back
/// on (a `Bundle`'s row).
pub fn expr_key_opt(e: &Expr) -> Option<String> {
    Some(match e {
        Expr::Function { name, .. } => name.clone(),
        Expr::Label {
            name: crate::sql::elements::Name::Fixed(n),
            ..
        } => n.clone(),
        Expr::Column(c) => match &c.from {
            Selectable::Table(t) => t
                .columns
                .get(c.index)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            Selectable::Alias(a) => a
                .table
                .columns
                .get(c.index)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            Selectable::Subquery(_) => String::new(),
        },
        Expr::Asc(inner) | Expr::Desc(inner) | Expr::Distinct(inner) => return expr_key_opt(inner),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{Query, QueryStyle};

    fn limits(q: &Query) -> (Option<i64>, Option<i64>) {
        (q.limit, q.offset)
    }

    #[test]
    fn a_slice_adds_its_start_to_the_offset_and_limits_to_its_length() {
        let q = Query::new(QueryStyle::Select, Vec::new());
        assert_eq!(limits(&q.sliced(Some(1), Some(3))), (Some(2), Some(1)));
        assert_eq!(limits(&q.sliced(Some(0), Some(2))), (Some(2), None));
        assert_eq!(limits(&q.sliced(None, Some(2))), (Some(2), None));
        assert_eq!(limits(&q.sliced(Some(3), None)), (None, Some(3)));
        let mut offset = q.clone();
        offset.offset = Some(1);
        offset.limit = Some(5);
        assert_eq!(limits(&offset.sliced(Some(1), Some(3))), (Some(2), Some(2)));
        assert_eq!(limits(&offset.sliced(None, Some(2))), (Some(2), Some(1)));
    }
}
