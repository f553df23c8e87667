//! Loader options (SQLAlchemy's `orm/strategy_options.py`): `joinedload`,
//! `selectinload`, `subqueryload`, `lazyload`, `raiseload`, `noload`, chained
//! along a path of relationships, and which strategy applies to a
//! relationship.

use std::rc::Rc;

use super::mapper::{AttrKind, AttrRef, Lazy, Mapper, Relationship};
use crate::python::{ExcType, PyErr, PyResult};

/// A loader strategy named by an option or by `relationship(lazy=...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Joined,
    Selectin,
    Subquery,
    Lazy,
    Raise,
    /// `raiseload(..., sql_only=True)`: raises only when the load would
    /// send SQL (a many-to-one found in the identity map is returned).
    RaiseOnSql,
    Noload,
    /// `defaultload()`: the relationship keeps its own strategy; the step
    /// only carries the options chained after it.
    Default,
    /// `contains_eager()`: filled from columns the query's own joins bring.
    ContainsEager,
}

impl Strategy {
    pub fn function_name(self) -> &'static str {
        match self {
            Strategy::Joined => "joinedload",
            Strategy::Selectin => "selectinload",
            Strategy::Subquery => "subqueryload",
            Strategy::Lazy => "lazyload",
            Strategy::Raise | Strategy::RaiseOnSql => "raiseload",
            Strategy::Noload => "noload",
            Strategy::Default => "defaultload",
            Strategy::ContainsEager => "contains_eager",
        }
    }

    pub fn from_lazy(lazy: Lazy) -> Strategy {
        match lazy {
            Lazy::Select | Lazy::Dynamic | Lazy::WriteOnly => Strategy::Lazy,
            Lazy::Joined => Strategy::Joined,
            Lazy::Selectin => Strategy::Selectin,
            Lazy::Subquery => Strategy::Subquery,
            Lazy::Raise => Strategy::Raise,
            Lazy::Noload => Strategy::Noload,
        }
    }
}

/// `innerjoin=` of `joinedload()` (SQLAlchemy's `JoinedLoader`): `False`
/// (the default) joins with `LEFT OUTER JOIN`; `True` with `JOIN`, nested
/// inside an enclosing outer join as `LEFT OUTER JOIN (a JOIN b ON …) ON …`;
/// `"unnested"` with `JOIN`, or `LEFT OUTER JOIN` below an outer join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InnerJoin {
    #[default]
    Outer,
    Nested,
    Unnested,
}

impl InnerJoin {
    /// From the Python value of `innerjoin=`: `True`, `False` or
    /// `"unnested"`; `None` for anything else.
    pub fn from_python(v: &crate::python::value::Value) -> Option<InnerJoin> {
        use crate::python::value::Value;
        match v {
            Value::Bool(true) => Some(InnerJoin::Nested),
            Value::Bool(false) | Value::None => Some(InnerJoin::Outer),
            Value::Str(s) if &**s == "unnested" => Some(InnerJoin::Unnested),
            Value::Str(s) if &**s == "nested" => Some(InnerJoin::Nested),
            _ => None,
        }
    }

    /// True for a plain `JOIN`.
    pub fn is_inner(self) -> bool {
        self != InnerJoin::Outer
    }
}

/// One step of a loader option's path: `joinedload(User.messages,
/// innerjoin=True)`.
#[derive(Debug, Clone)]
pub struct LoadStep {
    pub strategy: Strategy,
    pub attr: AttrRef,
    /// Only meaningful for `Strategy::Joined`.
    pub innerjoin: InnerJoin,
}

impl LoadStep {
    /// A step with `innerjoin=False`.
    pub fn new(strategy: Strategy, attr: AttrRef) -> LoadStep {
        LoadStep {
            strategy,
            attr,
            innerjoin: InnerJoin::Outer,
        }
    }
}

/// `joinedload(User.messages)`, possibly chained
/// (`joinedload(Message.user).joinedload(User.role)`): a path of steps, each
/// a strategy for a relationship attribute.
#[derive(Debug, Clone)]
pub struct LoaderOption {
    pub path: Vec<LoadStep>,
    /// `raiseload("*")`, `joinedload(Message.user).lazyload("*")`: the
    /// strategy for every relationship at the end of `path` that no other
    /// option names (SQLAlchemy's wildcard token, one level deep).
    pub wildcard: Option<Strategy>,
    /// `load_only()` / `defer()` / `undefer()` at the end of `path`.
    pub column: Option<ColumnOption>,
    /// `with_loader_criteria(...)` (its `path` empty): criteria for every
    /// load of an entity, carried down to the eager and lazy loads.
    pub loader_criteria: Option<Rc<LoaderCriteria>>,
}

impl LoaderOption {
    /// What SQLAlchemy's cache key keeps of this option beyond the SQL it
    /// renders: each step's strategy and attribute, and the wildcard.
    pub fn cache_key_part(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            out.push_str(&format!(
                "{:?}:{}.{}/",
                step.strategy, step.attr.mapper.class_name, step.attr.key
            ));
        }
        if let Some(w) = &self.wildcard {
            out.push_str(&format!("*{w:?}"));
        }
        out
    }
}

/// `with_loader_criteria(Message, Message.id > 3, include_aliases=False)`,
/// as SQLAlchemy 2.0's `LoaderCriteriaOption`: criteria ANDed to every
/// SELECT of the entity — the statement's WHERE for an entity it selects,
/// the ON clause of a join to it, a joined eager load's ON clause, a
/// selectin load's WHERE (or its target's join), a subquery load's join, a
/// lazy load's WHERE — and kept on the objects loaded (their
/// `load_options`), so their lazy loads apply it too.
#[derive(Debug)]
pub struct LoaderCriteria {
    pub mapper: Rc<Mapper>,
    /// Against `mapper.table` (a lambda's result, called with the class).
    pub criteria: crate::sql::elements::Expr,
    /// `include_aliases=True`: `aliased(User)` entities and `of_type()`
    /// joins get the criteria too (on the alias's columns).
    pub include_aliases: bool,
}

impl LoaderCriteria {
    /// The criteria with the mapped table's columns read from `target`
    /// (the table itself, or an alias of it).
    pub fn on(&self, target: &crate::sql::elements::Selectable) -> crate::sql::elements::Expr {
        use crate::sql::elements::{Expr, Selectable};
        let table = &self.mapper.table;
        self.criteria.map_columns_deep(&|col| match &col.from {
            Selectable::Table(t) if Rc::ptr_eq(t, table) => Some(Expr::column(target, col.index)),
            _ => None,
        })
    }
}

/// The `with_loader_criteria()` options among `options` for `mapper`, in
/// option order; with `alias`, only those with `include_aliases=True`.
pub fn loader_criteria_for(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    alias: bool,
) -> Vec<Rc<LoaderCriteria>> {
    options
        .iter()
        .filter_map(|o| o.loader_criteria.clone())
        .filter(|c| Rc::ptr_eq(&c.mapper, mapper) && (!alias || c.include_aliases))
        .collect()
}

/// A relationship load's criteria: its `.and_()` criteria (against the
/// target table), then each `with_loader_criteria()` for the target, as
/// SQLAlchemy's loaders add `_extra_criteria` and then the entity's
/// `additional_entity_criteria`.
pub fn relationship_load_criteria(
    and_criteria: Option<Rc<crate::sql::elements::Expr>>,
    options: &[Rc<LoaderOption>],
    target: &Rc<Mapper>,
) -> Option<Rc<crate::sql::elements::Expr>> {
    let global = loader_criteria_for(options, target, false);
    if global.is_empty() {
        return and_criteria;
    }
    let mut all: Vec<crate::sql::elements::Expr> =
        and_criteria.iter().map(|c| (**c).clone()).collect();
    all.extend(global.iter().map(|c| c.criteria.clone()));
    Some(Rc::new(crate::sql::elements::Expr::and(all)))
}

impl LoaderOption {
    /// The option a relationship's own `lazy=` gives.
    pub fn default_joined(mapper: &Rc<Mapper>, rel: &Rc<Relationship>) -> LoaderOption {
        LoaderOption {
            path: vec![LoadStep::new(
                Strategy::from_lazy(rel.decl.lazy),
                AttrRef::new(
                    mapper.clone(),
                    rel.key.clone(),
                    AttrKind::Relationship(rel.clone()),
                ),
            )],
            wildcard: None,
            column: None,
            loader_criteria: None,
        }
    }

    /// The wildcard strategy this option gives the relationships at this
    /// level (`raiseload("*")` with its path used up).
    pub fn wildcard_here(&self) -> Option<Strategy> {
        if self.path.is_empty() {
            self.wildcard
        } else {
            None
        }
    }

    /// The option with `innerjoin=` set on its last step, as
    /// `joinedload(User.messages, innerjoin=True)` gives.
    pub fn with_innerjoin(mut self, innerjoin: InnerJoin) -> LoaderOption {
        if let Some(last) = self.path.last_mut() {
            last.innerjoin = innerjoin;
        }
        self
    }

    /// True when the option's first step is `mapper.key`.
    pub fn targets(&self, key: &str, mapper: &Rc<Mapper>) -> bool {
        self.path
            .first()
            .is_some_and(|s| s.attr.key == key && Rc::ptr_eq(&s.attr.mapper, mapper))
    }

    /// The option with its first step removed, for the next level down.
    pub fn rest(&self) -> Option<LoaderOption> {
        if self.path.len() > 1
            || (self.path.len() == 1 && (self.wildcard.is_some() || self.column.is_some()))
        {
            Some(LoaderOption {
                path: self.path[1..].to_vec(),
                wildcard: self.wildcard,
                column: self.column.clone(),
                loader_criteria: None,
            })
        } else {
            None
        }
    }

    /// The option written back as code: `selectinload(User.messages)`,
    /// `joinedload(User.role, innerjoin=True)`.
    pub fn code(&self) -> String {
        self.path
            .iter()
            .map(|s| {
                let inner = match s.innerjoin {
                    InnerJoin::Outer => "",
                    InnerJoin::Nested => ", innerjoin=True",
                    InnerJoin::Unnested => ", innerjoin='unnested'",
                };
                format!(
                    "{}({}{inner})",
                    s.strategy.function_name(),
                    s.attr.qualified_name()
                )
            })
            .chain(self.wildcard.map(|w| format!("{}('*')", w.function_name())))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The strategy `options` give `rel` on `mapper`: an option naming it
/// (other than `defaultload`), else a wildcard (`raiseload("*")`), else the
/// relationship's own `lazy=`, as SQLAlchemy ranks them.
pub fn strategy_for(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    rel: &Relationship,
) -> Strategy {
    for o in options {
        if o.targets(&rel.key, mapper)
            && let Some(step) = o.path.first()
            && step.strategy != Strategy::Default
        {
            return step.strategy;
        }
    }
    // The last wildcard wins, as SQLAlchemy's `_LoadElement._reconcile` for
    // a token path (`lazyload("*"), raiseload("*")` raises).
    if let Some(w) = options.iter().rev().find_map(|o| o.wildcard_here()) {
        return w;
    }
    Strategy::from_lazy(rel.decl.lazy)
}

/// SQLAlchemy's `InvalidRequestError: Loader strategies for ORM Path[…]
/// conflict` (`_LoadElement._reconcile`) when two options give the same
/// relationship of the statement's entities different strategies
/// (`joinedload(User.messages), selectinload(User.messages)`); raised when
/// the statement compiles. `defaultload` steps never conflict; only the
/// first step of each option is compared.
pub fn check_conflicts(options: &[Rc<LoaderOption>]) -> PyResult<()> {
    for (i, a) in options.iter().enumerate() {
        let Some(sa) = a.path.first() else { continue };
        if sa.strategy == Strategy::Default {
            continue;
        }
        for b in &options[i + 1..] {
            let Some(sb) = b.path.first() else { continue };
            if sb.strategy == Strategy::Default
                || sb.attr.key != sa.attr.key
                || !Rc::ptr_eq(&sb.attr.mapper, &sa.attr.mapper)
                || (sb.strategy == sa.strategy && sb.innerjoin == sa.innerjoin)
            {
                continue;
            }
            let m = &sa.attr.mapper;
            let target = match m.relationship(&sa.attr.key) {
                Some(rel) => {
                    let t = rel.resolve()?.target.clone();
                    format!(" -> Mapper[{}({})]", t.class_name, t.table.name)
                }
                None => String::new(),
            };
            return Err(PyErr::new(
                ExcType::InvalidRequestError,
                format!(
                    "Loader strategies for ORM Path[Mapper[{}({})] -> {}.{}{target}] conflict",
                    m.class_name, m.table.name, m.class_name, sa.attr.key
                ),
            ));
        }
    }
    Ok(())
}

/// True when an option names `rel` on `mapper` or a wildcard applies at
/// this level (so a joined load below the top level is asked for).
pub fn has_option_for(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    rel: &Relationship,
) -> bool {
    options
        .iter()
        .any(|o| o.targets(&rel.key, mapper) || o.wildcard_here().is_some())
}

/// The `innerjoin=` `options` give the joined load of `rel` on `mapper`
/// (the first option naming it; `Outer` when none does).
pub fn innerjoin_for(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    rel: &Relationship,
) -> InnerJoin {
    options
        .iter()
        .filter(|o| o.targets(&rel.key, mapper))
        .find_map(|o| o.path.first().map(|s| s.innerjoin))
        .unwrap_or_default()
}

/// The `.and_()` criteria of the option whose first step loads `rel` on
/// `mapper` (`joinedload(User.messages.and_(Message.id > 3))`), against
/// the target table.
pub fn criteria_for(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    rel: &Relationship,
) -> Option<Rc<crate::sql::elements::Expr>> {
    options
        .iter()
        .filter(|o| o.targets(&rel.key, mapper))
        .find_map(|o| o.path.first().and_then(|s| s.attr.criteria.clone()))
}

/// The options among `options` whose first step is `rel` on `mapper`.
pub fn options_for(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    rel: &Relationship,
) -> Vec<Rc<LoaderOption>> {
    options
        .iter()
        .filter(|o| o.targets(&rel.key, mapper))
        .cloned()
        .collect()
}

/// The options continuing below `rel` (their first step removed).
pub fn child_options(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    rel: &Relationship,
) -> Vec<Rc<LoaderOption>> {
    options_for(options, mapper, rel)
        .iter()
        .filter_map(|o| o.rest().map(Rc::new))
        // `with_loader_criteria()` applies at every level.
        .chain(
            options
                .iter()
                .filter(|o| o.loader_criteria.is_some())
                .cloned(),
        )
        .collect()
}

/// A column loader option at the end of a path (SQLAlchemy's
/// `load_only()`, `defer()`, `undefer()`, `undefer_group()`), chained as
/// `joinedload(Message.user).load_only(User.name)`.
#[derive(Debug, Clone)]
pub enum ColumnOption {
    /// `load_only(User.name, raiseload=False)`: only these columns and the
    /// primary key; the others deferred.
    LoadOnly(Vec<AttrRef>, bool),
    /// `defer(User.email, raiseload=False)`.
    Defer(AttrRef, bool),
    /// `undefer(Book.summary)`.
    Undefer(AttrRef),
    /// `undefer("*")`: every deferred column.
    UndeferAll,
    /// `defer("*", raiseload=False)`: every column but the primary key.
    DeferAll(bool),
    /// `undefer_group("extra")`.
    UndeferGroup(String),
    /// `with_expression(Author.score, Author.id * 10)`: the SQL a
    /// `query_expression()` attribute loads from (against the mapped table).
    WithExpression(AttrRef, crate::sql::elements::Expr),
}

/// Which columns of a mapper a load selects, in table order, and how the
/// others behave on access (SQLAlchemy's deferred column loader).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadedColumns {
    /// The `column_property()` / `query_expression()` attributes loaded,
    /// as (index in `Mapper::expressions`, the expression: its own or the
    /// one `with_expression()` gave, against the mapped table), in
    /// declaration order: row position `offset + k` holds `exprs[k]`,
    /// ahead of the table's columns.
    pub exprs: Vec<(usize, crate::sql::elements::Expr)>,
    /// Table column indexes, in table order: row position `offset +
    /// exprs.len() + gap + j` holds column `cols[j]`.
    pub cols: Vec<usize>,
    /// Row positions between the expressions and the columns: the
    /// `contains_eager()` columns SQLAlchemy selects there (a mapper's
    /// `column_property()`s come ahead of its relationships, its columns
    /// after them).
    pub gap: usize,
    /// Attribute keys left unloaded, with `true` when access raises
    /// (`raiseload=True`) instead of loading.
    pub deferred: Vec<(String, bool)>,
}

impl LoadedColumns {
    /// True when every column of the table is loaded.
    pub fn is_full(&self, mapper: &Mapper) -> bool {
        self.exprs.is_empty() && self.cols.len() == mapper.table.columns.len()
    }

    /// The SELECT list of the load, against `from` (the mapped table or an
    /// alias of it): the expressions, then the columns.
    pub fn select_list(
        &self,
        mapper: &Mapper,
        from: &crate::sql::elements::Selectable,
    ) -> Vec<crate::sql::elements::Expr> {
        let mut out = Vec::with_capacity(self.exprs.len() + self.cols.len());
        for (_, e) in &self.exprs {
            let prop = super::mapper::ColumnProperty {
                key: String::new(),
                expr: Some(e.clone()),
                ty: None,
                deferred: false,
            };
            out.extend(
                prop.expression_on(&mapper.table, from)
                    .map(super::expression::column_property_label),
            );
        }
        out.extend(
            self.cols
                .iter()
                .map(|i| crate::sql::elements::Expr::column(from, *i)),
        );
        out
    }

    /// The identities of [`LoadedColumns::select_list`]'s expressions
    /// (`Select::column_ids`): each `column_property()`'s, by property and
    /// entity ([`super::expression::column_property_id`]); `None` for the
    /// table's columns.
    pub fn select_list_ids(
        &self,
        mapper: &Mapper,
        from: &crate::sql::elements::Selectable,
    ) -> Vec<Option<u64>> {
        let mut out: Vec<Option<u64>> = self
            .exprs
            .iter()
            .map(|(i, _)| Some(super::expression::column_property_id(mapper, *i, from)))
            .collect();
        out.extend(self.cols.iter().map(|_| None));
        out
    }

    /// Where table column `col` sits in a row whose load starts at `offset`.
    pub fn position(&self, offset: usize, col: usize) -> Option<usize> {
        self.cols
            .iter()
            .position(|c| *c == col)
            .map(|j| offset + self.exprs.len() + self.gap + j)
    }
}

/// The columns a load of `mapper` selects under `options` (those at this
/// level): the mapper's non-deferred columns, changed by each column
/// option naming this mapper in order; primary-key columns always load.
pub fn loaded_columns(mapper: &Rc<Mapper>, options: &[Rc<LoaderOption>]) -> LoadedColumns {
    let table = &mapper.table;
    // Per table column: Some(raise) when deferred.
    let mut state: Vec<Option<bool>> = table
        .columns
        .iter()
        .map(|c| c.deferred.as_ref().map(|d| d.raiseload))
        .collect();
    let mine = |a: &AttrRef| Rc::ptr_eq(&a.mapper, mapper);
    let index = |a: &AttrRef| match a.kind {
        AttrKind::Column(i) => Some(i),
        AttrKind::Expression(_) | AttrKind::Relationship(_) => None,
    };
    // Wildcards first (`defer("*")`, `undefer("*")`, `undefer_group()`):
    // an option naming the attribute wins over them whatever the order,
    // as SQLAlchemy looks up a wildcard only for attributes no option names.
    for o in options {
        if !o.path.is_empty() {
            continue;
        }
        match &o.column {
            Some(ColumnOption::DeferAll(raise)) => state.iter_mut().for_each(|s| *s = Some(*raise)),
            Some(ColumnOption::UndeferAll) => state.iter_mut().for_each(|s| *s = None),
            Some(ColumnOption::UndeferGroup(g)) => {
                for (i, c) in table.columns.iter().enumerate() {
                    if c.deferred.as_ref().and_then(|d| d.group.as_ref()) == Some(g) {
                        state[i] = None;
                    }
                }
            }
            _ => {}
        }
    }
    for o in options {
        if !o.path.is_empty() {
            continue;
        }
        let Some(c) = &o.column else { continue };
        match c {
            ColumnOption::LoadOnly(attrs, raise) if attrs.iter().any(mine) => {
                let keep: Vec<usize> = attrs.iter().filter(|a| mine(a)).filter_map(index).collect();
                for (i, s) in state.iter_mut().enumerate() {
                    *s = if keep.contains(&i) {
                        None
                    } else {
                        Some(*raise)
                    };
                }
            }
            ColumnOption::Defer(a, raise) if mine(a) => {
                if let Some(i) = index(a) {
                    state[i] = Some(*raise);
                }
            }
            ColumnOption::Undefer(a) if mine(a) => {
                if let Some(i) = index(a) {
                    state[i] = None;
                }
            }
            _ => {}
        }
    }
    for i in mapper.primary_key() {
        state[i] = None;
    }
    let mut out = LoadedColumns::default();
    // `column_property()`s: loaded unless deferred, changed by the options
    // as columns are; a `query_expression()` only with `with_expression()`.
    for (k, prop) in mapper.expressions.iter().enumerate() {
        let mut expr = prop.expr.clone();
        let mut deferred = prop.deferred.then_some(false);
        let level = || options.iter().filter(|o| o.path.is_empty());
        // Wildcards first, as for columns.
        for o in level() {
            match &o.column {
                Some(ColumnOption::DeferAll(raise)) => deferred = Some(*raise),
                Some(ColumnOption::UndeferAll) => deferred = None,
                _ => {}
            }
        }
        for o in level() {
            let names =
                |a: &AttrRef| mine(a) && matches!(a.kind, AttrKind::Expression(i) if i == k);
            match &o.column {
                Some(ColumnOption::LoadOnly(attrs, raise)) if attrs.iter().any(mine) => {
                    deferred = (!attrs.iter().any(names)).then_some(*raise);
                }
                Some(ColumnOption::Defer(a, raise)) if names(a) => deferred = Some(*raise),
                Some(ColumnOption::Undefer(a)) if names(a) => deferred = None,
                Some(ColumnOption::WithExpression(a, e)) if names(a) => {
                    expr = Some(e.clone());
                    deferred = None;
                }
                _ => {}
            }
        }
        match (deferred, expr) {
            (None, Some(e)) => out.exprs.push((k, e)),
            (Some(raise), Some(_)) => out.deferred.push((prop.key.clone(), raise)),
            // A `query_expression()` no option fills: `None`, no SQL.
            (_, None) => {}
        }
    }
    for (i, s) in state.iter().enumerate() {
        let Some(key) = mapper.column_key(i) else {
            continue;
        };
        match s {
            None => out.cols.push(i),
            Some(raise) => out.deferred.push((key.to_string(), *raise)),
        }
    }
    out
}
