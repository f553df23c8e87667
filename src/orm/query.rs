//! ORM queries: `session.query(...)` (legacy `Query`) and `select(...)`
//! (2.0 style) share one immutable, generative description that turns into
//! a Core SELECT when run, with SQLAlchemy's label style for each.

use std::rc::Rc;

use crate::interpreter::errors::{PyErr, PyResult, invalid_request};
use crate::sql::elements::{Expr, FromClause, Join, LabelStyle, Name, Select, Selectable, Subquery};
use crate::sql::schema::{SqlValue, TableRef};

use super::expression::SqlExpr;
use super::loading::LoaderOption;
use super::mapper::{AttrKind, AttrRef, Direction, Mapper, fk_pairs};
use super::session::Session;

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
    /// A mapped class: one object per row.
    Mapper(Rc<Mapper>),
    /// A column expression: one value per row.
    Column(SqlExpr),
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
}

#[derive(Debug, Clone)]
pub struct JoinSpec {
    pub target: JoinTarget,
    pub on: Option<Expr>,
    pub outer: bool,
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
    pub options: Vec<Rc<LoaderOption>>,
}

/// Where each entity's values sit in a result row.
#[derive(Debug, Clone)]
pub struct RowPlan {
    /// Per entity, the index of its first column in the row.
    pub offsets: Vec<usize>,
    /// Joined eager loads: (entity index, option path, first column index,
    /// the alias the columns come from).
    pub joined: Vec<JoinedEager>,
}

/// The columns of one joined eager load in a result row.
#[derive(Debug, Clone)]
pub struct JoinedEager {
    pub entity: usize,
    pub attr: AttrRef,
    pub offset: usize,
    /// Index into `LoaderOption` chains that continue below this load.
    pub option: Rc<LoaderOption>,
}

impl Query {
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
            options: Vec::new(),
        }
    }

    pub fn is_legacy(&self) -> bool {
        matches!(self.style, QueryStyle::Legacy(_))
    }

    /// `Query` or `Select`, as `type(q).__name__`.
    pub fn python_type_name(&self) -> &'static str {
        if self.is_legacy() { "Query" } else { "Select" }
    }

    pub fn label_style(&self) -> LabelStyle {
        if self.is_legacy() {
            LabelStyle::TablenamePlusCol
        } else {
            LabelStyle::DisambiguateOnly
        }
    }

    /// The mapper of the first entity, if it is a class (for `filter_by`).
    pub fn primary_mapper(&self) -> Option<Rc<Mapper>> {
        if let Some(Entity::Mapper(m)) = self.entities.first() {
            return Some(m.clone());
        }
        None
    }

    /// The mapper `filter_by()` keywords refer to: the last joined entity, or
    /// the first entity (SQLAlchemy's `_filter_by_zero`).
    pub fn filter_by_mapper(&self) -> Option<Rc<Mapper>> {
        if let Some(j) = self.joins.last() {
            match &j.target {
                JoinTarget::Mapper(m) => return Some(m.clone()),
                JoinTarget::Relationship(a) => {
                    if let AttrKind::Relationship(r) = &a.kind {
                        if let Ok(res) = r.resolve() {
                            return Some(res.target.clone());
                        }
                    }
                }
                JoinTarget::Table(_) => {}
            }
        }
        if let Some(Selectable::Table(t)) = self.select_from.first() {
            if let Some(m) = self.entities.iter().find_map(|e| match e {
                Entity::Mapper(m) if Rc::ptr_eq(&m.table, t) => Some(m.clone()),
                _ => None,
            }) {
                return Some(m);
            }
        }
        self.primary_mapper()
    }

    /// Builds the SELECT this query runs, with the row plan to read it.
    ///
    /// Joined eager loads (`joinedload`) add `LEFT OUTER JOIN target AS
    /// target_1` and the alias's columns after the entities' columns, as
    /// SQLAlchemy's `JoinedLoader` does.
    pub fn to_select(&self) -> PyResult<(Select, RowPlan)> {
        let mut columns = Vec::new();
        let mut offsets = Vec::new();
        for e in &self.entities {
            offsets.push(columns.len());
            match e {
                Entity::Mapper(m) => {
                    let from = Selectable::Table(m.table.clone());
                    for i in 0..m.table.columns.len() {
                        columns.push(Expr::column(&from, i));
                    }
                }
                Entity::Column(c) => columns.push(c.expr.clone()),
            }
        }
        let mut select = Select::new(columns, self.label_style());
        select.where_ = self.where_.clone();
        select.order_by = self.order_by.clone();
        select.group_by = self.group_by.clone();
        select.having = self.having.clone();
        select.distinct = self.distinct;
        select.limit = self.limit.map(|n| Expr::Bind(SqlValue::Integer(n)));
        select.offset = self.offset.map(|n| Expr::Bind(SqlValue::Integer(n)));

        let mut from: Option<FromClause> = self
            .select_from
            .first()
            .map(|s| FromClause::Selectable(s.clone()));
        for extra in self.select_from.iter().skip(1) {
            select.froms.push(FromClause::Selectable(extra.clone()));
        }
        for join in &self.joins {
            let left = match from.take() {
                Some(f) => f,
                None => FromClause::Selectable(self.join_left(join)?),
            };
            from = Some(self.join_onto(join, left)?);
        }

        let mut joined = Vec::new();
        for (entity_index, e) in self.entities.iter().enumerate() {
            let Entity::Mapper(m) = e else { continue };
            for opt in &self.options {
                super::loading::add_joined_eager(
                    &mut select,
                    &mut from,
                    m,
                    entity_index,
                    opt,
                    &mut joined,
                )?;
            }
            for rel in m.relationships.borrow().iter() {
                if rel.decl.lazy == super::mapper::Lazy::Joined
                    && !self.options.iter().any(|o| o.targets(&rel.key, m))
                {
                    let opt = Rc::new(LoaderOption::default_joined(m, rel));
                    super::loading::add_joined_eager(
                        &mut select,
                        &mut from,
                        m,
                        entity_index,
                        &opt,
                        &mut joined,
                    )?;
                }
            }
        }
        if let Some(f) = from {
            select.froms.insert(0, f);
        }
        Ok((select, RowPlan { offsets, joined }))
    }

    /// The left side of a join when there is no explicit FROM: the first
    /// entity's table (SQLAlchemy joins from the leftmost entity).
    fn join_left(&self, join: &JoinSpec) -> PyResult<Selectable> {
        if let JoinTarget::Relationship(a) = &join.target {
            return Ok(Selectable::Table(a.mapper.table.clone()));
        }
        for e in &self.entities {
            match e {
                Entity::Mapper(m) => return Ok(Selectable::Table(m.table.clone())),
                Entity::Column(c) => {
                    if let Some(t) = first_table(&c.expr) {
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
            }))
        };
        match &join.target {
            JoinTarget::Relationship(a) => {
                let AttrKind::Relationship(rel) = &a.kind else {
                    return Err(PyErr::new(
                        "ArgumentError",
                        format!("Join target {} does not refer to a mapped entity", a.qualified_name()),
                    ));
                };
                let res = rel.resolve()?;
                let parent = Selectable::Table(a.mapper.table.clone());
                let target = Selectable::Table(res.target.table.clone());
                if let Some((sec, target_pairs)) = &res.secondary {
                    let sec_sel = Selectable::Table(sec.clone());
                    let on1 = equal_pairs(&parent, &sec_sel, &res.pairs);
                    let on2 = equal_pairs(&target, &sec_sel, target_pairs);
                    let inner = make(left, sec_sel, on1);
                    return Ok(make(inner, target, on2));
                }
                let on = relationship_join_condition(&res.direction, &res.pairs, &parent, &target);
                Ok(make(left, target, on))
            }
            JoinTarget::Mapper(m) => {
                let on = match &join.on {
                    Some(on) => on.clone(),
                    None => fk_join_condition(&left, &m.table)?,
                };
                Ok(make(left, Selectable::Table(m.table.clone()), on))
            }
            JoinTarget::Table(t) => {
                let on = match &join.on {
                    Some(on) => on.clone(),
                    None => fk_join_condition(&left, t)?,
                };
                Ok(make(left, Selectable::Table(t.clone()), on))
            }
        }
    }

    /// `SELECT count(*) AS count_1 FROM (<this query>) AS anon_1`, as
    /// SQLAlchemy 2.0's `Query.count()` builds it.
    pub fn count_select(&self) -> PyResult<Select> {
        let (inner, _) = self.to_select()?;
        let sub = Rc::new(Subquery {
            select: inner,
            name: Name::Anon("anon".into()),
        });
        let mut outer = Select::new(
            vec![Expr::Function {
                name: "count".into(),
                args: vec![Expr::Star],
            }],
            self.label_style(),
        );
        outer.froms.push(FromClause::Selectable(Selectable::Subquery(sub)));
        Ok(outer)
    }

    /// The query as a scalar subquery (`User.id.in_(select(...))`).
    pub fn scalar_subquery(&self) -> PyResult<Select> {
        let (mut select, _) = self.to_select()?;
        select.label_style = LabelStyle::DisambiguateOnly;
        Ok(select)
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
/// column), whichever side the join starts from.
pub fn relationship_join_condition(
    direction: &Direction,
    pairs: &[(usize, usize)],
    parent: &Selectable,
    target: &Selectable,
) -> Expr {
    Expr::and(
        pairs
            .iter()
            .map(|(p, t)| match direction {
                // pairs are (parent col, target col); parent holds the referenced column.
                Direction::OneToMany | Direction::ManyToMany => Expr::binary(
                    Expr::column(parent, *p),
                    crate::sql::elements::Operator::Eq,
                    Expr::column(target, *t),
                ),
                // parent holds the foreign key: referenced (target) column first.
                Direction::ManyToOne => Expr::binary(
                    Expr::column(target, *t),
                    crate::sql::elements::Operator::Eq,
                    Expr::column(parent, *p),
                ),
            })
            .collect(),
    )
}

/// Every table inside a FROM clause, left to right.
pub fn tables_of(from: &FromClause, out: &mut Vec<TableRef>) {
    match from {
        FromClause::Selectable(Selectable::Table(t)) => out.push(t.clone()),
        FromClause::Selectable(Selectable::Alias(a)) => out.push(a.table.clone()),
        FromClause::Selectable(Selectable::Subquery(_)) => {}
        FromClause::Join(j) => {
            tables_of(&j.left, out);
            tables_of(&j.right, out);
        }
    }
}

/// The ON clause SQLAlchemy infers from foreign keys between the left side
/// and `right` (`users.id = messages.user_id`).
///
/// Errors: `InvalidRequestError` when no foreign key links them, or more than one does.
fn fk_join_condition(left: &FromClause, right: &TableRef) -> PyResult<Expr> {
    let mut tables = Vec::new();
    tables_of(left, &mut tables);
    let right_sel = Selectable::Table(right.clone());
    for t in &tables {
        let left_sel = Selectable::Table(t.clone());
        // right references left
        let pairs = fk_pairs(t, right);
        if !pairs.is_empty() {
            return Ok(Expr::and(
                pairs
                    .iter()
                    .map(|(l, r)| {
                        Expr::binary(
                            Expr::column(&left_sel, *l),
                            crate::sql::elements::Operator::Eq,
                            Expr::column(&right_sel, *r),
                        )
                    })
                    .collect(),
            ));
        }
        let pairs = fk_pairs(right, t);
        if !pairs.is_empty() {
            return Ok(Expr::and(
                pairs
                    .iter()
                    .map(|(r, l)| {
                        Expr::binary(
                            Expr::column(&right_sel, *r),
                            crate::sql::elements::Operator::Eq,
                            Expr::column(&left_sel, *l),
                        )
                    })
                    .collect(),
            ));
        }
    }
    let left_names: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
    Err(invalid_request(format!(
        "Don't know how to join to <Mapper at 0x0; {}>. Please use the .select_from() method to establish an explicit left side, as well as providing an explicit ON clause if not present already to help resolve the ambiguity. (no foreign key links {} and {})",
        right.name,
        left_names.join(", "),
        right.name
    )))
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
