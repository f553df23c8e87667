//! Loader strategies: loader options (`joinedload`, `selectinload`,
//! `subqueryload`, `lazyload`, `raiseload`, `noload`), the joined eager
//! load's extra columns and `LEFT OUTER JOIN`, and the second SELECT of a
//! `selectinload` (SQLAlchemy's `orm/strategies.py`).

use std::rc::Rc;

use crate::interpreter::errors::PyResult;
use crate::interpreter::value::Value;
use crate::outcome::Cause;
use crate::sql::elements::{Alias, Expr, FromClause, Join, LabelStyle, Name, Select, Selectable};
use crate::sql::schema::SqlValue;

use super::mapper::{AttrKind, AttrRef, Direction, Lazy, Mapper, Relationship};
use super::query::{JoinedEager, equal_pairs, relationship_join_condition};
use super::session::Session;
use super::state::Obj;

/// A loader strategy named by an option or by `relationship(lazy=...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Joined,
    Selectin,
    Subquery,
    Lazy,
    Raise,
    Noload,
}

impl Strategy {
    pub fn function_name(self) -> &'static str {
        match self {
            Strategy::Joined => "joinedload",
            Strategy::Selectin => "selectinload",
            Strategy::Subquery => "subqueryload",
            Strategy::Lazy => "lazyload",
            Strategy::Raise => "raiseload",
            Strategy::Noload => "noload",
        }
    }

    pub fn from_lazy(lazy: Lazy) -> Strategy {
        match lazy {
            Lazy::Select | Lazy::Dynamic => Strategy::Lazy,
            Lazy::Joined => Strategy::Joined,
            Lazy::Selectin => Strategy::Selectin,
            Lazy::Subquery => Strategy::Subquery,
            Lazy::Raise => Strategy::Raise,
            Lazy::Noload => Strategy::Noload,
        }
    }
}

/// `joinedload(User.messages)`, possibly chained
/// (`joinedload(Message.user).joinedload(User.role)`): a path of
/// (strategy, relationship attribute) steps.
#[derive(Debug, Clone)]
pub struct LoaderOption {
    pub path: Vec<(Strategy, AttrRef)>,
}

impl LoaderOption {
    /// The option a relationship's own `lazy=` gives.
    pub fn default_joined(mapper: &Rc<Mapper>, rel: &Rc<Relationship>) -> LoaderOption {
        LoaderOption {
            path: vec![(
                Strategy::from_lazy(rel.decl.lazy),
                AttrRef {
                    mapper: mapper.clone(),
                    key: rel.key.clone(),
                    kind: AttrKind::Relationship(rel.clone()),
                },
            )],
        }
    }

    /// True when the option's first step is `mapper.key`.
    pub fn targets(&self, key: &str, mapper: &Rc<Mapper>) -> bool {
        self.path
            .first()
            .is_some_and(|(_, a)| a.key == key && Rc::ptr_eq(&a.mapper, mapper))
    }

    /// The option with its first step removed, for the next level down.
    pub fn rest(&self) -> Option<LoaderOption> {
        if self.path.len() > 1 {
            Some(LoaderOption {
                path: self.path[1..].to_vec(),
            })
        } else {
            None
        }
    }

    /// The option written back as code: `selectinload(User.messages)`.
    pub fn code(&self) -> String {
        self.path
            .iter()
            .map(|(s, a)| format!("{}({})", s.function_name(), a.qualified_name()))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The strategy `options` (or the relationship's default) give `rel` on `mapper`.
pub fn strategy_for(options: &[Rc<LoaderOption>], mapper: &Rc<Mapper>, rel: &Relationship) -> Strategy {
    for o in options {
        if o.targets(&rel.key, mapper) {
            if let Some((s, _)) = o.path.first() {
                return *s;
            }
        }
    }
    Strategy::from_lazy(rel.decl.lazy)
}

/// Adds a joined eager load of the option's first step, when it is a
/// `joinedload` on `mapper`: the target aliased as `target_1`, its columns
/// appended to the SELECT list, and `LEFT OUTER JOIN target AS target_1 ON …`
/// onto the FROM (SQLAlchemy's `JoinedLoader._create_eager_join`).
pub fn add_joined_eager(
    select: &mut Select,
    from: &mut Option<FromClause>,
    mapper: &Rc<Mapper>,
    entity: usize,
    opt: &Rc<LoaderOption>,
    joined: &mut Vec<JoinedEager>,
) -> PyResult<()> {
    let Some((Strategy::Joined, attr)) = opt.path.first() else {
        return Ok(());
    };
    if !Rc::ptr_eq(&attr.mapper, mapper) {
        return Ok(());
    }
    let AttrKind::Relationship(rel) = &attr.kind else {
        return Ok(());
    };
    let res = rel.resolve()?;
    let parent = Selectable::Table(mapper.table.clone());
    let alias = Selectable::Alias(Rc::new(Alias {
        table: res.target.table.clone(),
        name: Name::Anon(res.target.table.name.clone()),
    }));
    let offset = select.columns.len();
    for i in 0..res.target.table.columns.len() {
        select.columns.push(Expr::column(&alias, i));
    }
    let left = from
        .take()
        .unwrap_or_else(|| FromClause::Selectable(parent.clone()));
    let joined_from = if let Some((sec, target_pairs)) = &res.secondary {
        let sec_alias = Selectable::Alias(Rc::new(Alias {
            table: sec.clone(),
            name: Name::Anon(sec.name.clone()),
        }));
        let inner = FromClause::Join(Rc::new(Join {
            left,
            right: FromClause::Selectable(sec_alias.clone()),
            on: equal_pairs(&parent, &sec_alias, &res.pairs),
            outer: true,
        }));
        FromClause::Join(Rc::new(Join {
            left: inner,
            right: FromClause::Selectable(alias.clone()),
            on: equal_pairs(&alias, &sec_alias, target_pairs),
            outer: true,
        }))
    } else {
        FromClause::Join(Rc::new(Join {
            left,
            right: FromClause::Selectable(alias.clone()),
            on: relationship_join_condition(&res.direction, &res.pairs, &parent, &alias),
            outer: true,
        }))
    };
    *from = Some(joined_from);
    joined.push(JoinedEager {
        entity,
        attr: attr.clone(),
        offset,
        option: opt.clone(),
    });
    Ok(())
}

/// Runs the `selectinload` of `attr` for `parents` (SQLAlchemy's
/// `SelectInLoader`): one `SELECT … WHERE fk IN (?, …)` per 500 parents,
/// then fills each parent's attribute. Parents whose attribute is already
/// loaded are skipped.
pub fn selectin_load(
    session: &Rc<Session>,
    attr: &AttrRef,
    parents: &[Obj],
    rest: Option<LoaderOption>,
) -> PyResult<()> {
    let AttrKind::Relationship(rel) = &attr.kind else {
        return Ok(());
    };
    let res = rel.resolve()?;
    let cause = Cause::EagerLoad(attr.qualified_name());
    let target_table = res.target.table.clone();
    let target = Selectable::Table(target_table.clone());
    let needing: Vec<Obj> = parents
        .iter()
        .filter(|p| !p.borrow().dict.contains_key(&attr.key))
        .cloned()
        .collect();
    if needing.is_empty() {
        return Ok(());
    }
    let mut loaded_children: Vec<Obj> = Vec::new();
    match res.direction {
        Direction::OneToMany if res.pairs.len() == 1 => {
            let (parent_col, fk_col) = res.pairs[0];
            let mut keys: Vec<Value> = Vec::new();
            for p in &needing {
                let v = session.column_value(p, parent_col)?;
                if !matches!(v, Value::None) && !keys.iter().any(|k| crate::interpreter::ops::values_equal(k, &v)) {
                    keys.push(v);
                }
            }
            let mut by_parent: Vec<(Value, Vec<Value>)> = keys.iter().map(|k| (k.clone(), Vec::new())).collect();
            for chunk in keys.chunks(500) {
                let mut columns = vec![Expr::column(&target, fk_col)];
                for i in 0..target_table.columns.len() {
                    if i != fk_col {
                        columns.push(Expr::column(&target, i));
                    }
                }
                let mut select = Select::new(columns, LabelStyle::TablenamePlusCol);
                let fk_ty = target_table.columns.get(fk_col).map(|c| c.sql_type.clone());
                let mut values = Vec::new();
                for k in chunk {
                    values.push(Expr::Bind(super::expression::bind_value(k, fk_ty.as_ref())?));
                }
                select.where_.push(Expr::In {
                    left: Box::new(Expr::column(&target, fk_col)),
                    values,
                    negated: false,
                });
                select.order_by = relationship_order_by(session, rel, &target)?;
                let rows = session.run_select(&select, cause.clone())?;
                // Row layout: fk first, then the other columns in order.
                for row in rows {
                    let mut full = vec![SqlValue::Null; target_table.columns.len()];
                    full[fk_col] = row[0].clone();
                    let mut j = 1;
                    for (i, slot) in full.iter_mut().enumerate() {
                        if i != fk_col {
                            *slot = row.get(j).cloned().unwrap_or(SqlValue::Null);
                            j += 1;
                        }
                    }
                    let fk_value = super::expression::result_value(&row[0], fk_ty.as_ref());
                    if let Some(child) = session.load_row(&res.target, &full, 0)? {
                        loaded_children.push(child.clone());
                        if let Some((_, list)) = by_parent
                            .iter_mut()
                            .find(|(k, _)| crate::interpreter::ops::values_equal(k, &fk_value))
                        {
                            list.push(Value::Object(child));
                        }
                    }
                }
            }
            for p in &needing {
                let key = session.column_value(p, parent_col)?;
                let items = by_parent
                    .iter()
                    .find(|(k, _)| crate::interpreter::ops::values_equal(k, &key))
                    .map(|(_, l)| l.clone())
                    .unwrap_or_default();
                session.set_loaded_collection(p, &attr.key, items);
            }
        }
        Direction::ManyToOne => {
            let mut keys: Vec<Vec<Value>> = Vec::new();
            for p in &needing {
                let mut key = Vec::new();
                for (fk_col, _) in &res.pairs {
                    key.push(session.column_value(p, *fk_col)?);
                }
                if key.iter().all(|v| !matches!(v, Value::None))
                    && !keys.iter().any(|k| crate::interpreter::ops::key_equal(k, &key))
                {
                    keys.push(key);
                }
            }
            let pk = res.target.primary_key();
            for chunk in keys.chunks(500) {
                let columns = (0..target_table.columns.len())
                    .map(|i| Expr::column(&target, i))
                    .collect();
                let mut select = Select::new(columns, LabelStyle::TablenamePlusCol);
                if let [(_, target_col)] = res.pairs.as_slice() {
                    let ty = target_table.columns.get(*target_col).map(|c| c.sql_type.clone());
                    let mut values = Vec::new();
                    for k in chunk {
                        values.push(Expr::Bind(super::expression::bind_value(&k[0], ty.as_ref())?));
                    }
                    select.where_.push(Expr::In {
                        left: Box::new(Expr::column(&target, *target_col)),
                        values,
                        negated: false,
                    });
                }
                let rows = session.run_select(&select, cause.clone())?;
                for row in rows {
                    if let Some(child) = session.load_row(&res.target, &row, 0)? {
                        loaded_children.push(child);
                    }
                }
            }
            let _ = pk;
            for p in &needing {
                let mut key = Vec::new();
                for (fk_col, _) in &res.pairs {
                    key.push(session.column_value(p, *fk_col)?);
                }
                let related = session.identity_lookup(&res.target, &key);
                session.set_loaded_scalar(
                    p,
                    &attr.key,
                    related.map(Value::Object).unwrap_or(Value::None),
                );
            }
        }
        _ => {
            // Many-to-many and composite keys: load each parent lazily.
            for p in &needing {
                let v = session.lazy_load(p, rel, cause.clone())?;
                if let Value::List(l) = v {
                    for item in l.items.borrow().iter() {
                        if let Value::Object(o) = item {
                            loaded_children.push(o.clone());
                        }
                    }
                }
            }
        }
    }
    if let Some(rest) = rest {
        let rest = Rc::new(rest);
        session.post_load(&res.target, &loaded_children, std::slice::from_ref(&rest))?;
    }
    Ok(())
}

/// The ORDER BY of a relationship's `order_by=`, against `target`.
pub fn relationship_order_by(
    session: &Rc<Session>,
    rel: &Relationship,
    target: &Selectable,
) -> PyResult<Vec<Expr>> {
    let _ = (session, target);
    let Some(order) = &rel.decl.order_by else {
        return Ok(Vec::new());
    };
    let items = match order {
        Value::List(l) => l.items.borrow().clone(),
        Value::Tuple(t) => t.to_vec(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for item in items {
        match &item {
            Value::Str(s) => {
                // "Message.created_at" or "created_at", optionally " desc".
                let res = rel.resolve()?;
                let text = s.trim();
                let (name, desc) = match text.rsplit_once(' ') {
                    Some((n, d)) if d.eq_ignore_ascii_case("desc") => (n.trim(), true),
                    Some((n, d)) if d.eq_ignore_ascii_case("asc") => (n.trim(), false),
                    _ => (text, false),
                };
                let col = name.rsplit('.').next().unwrap_or(name);
                if let Some(i) = res.target.column(col) {
                    let e = Expr::column(&Selectable::Table(res.target.table.clone()), i);
                    out.push(if desc { Expr::Desc(Box::new(e)) } else { e });
                }
            }
            other => out.push(super::expression::coerce(other, None)?.expr),
        }
    }
    Ok(out)
}
