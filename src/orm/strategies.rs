//! Loader strategies (SQLAlchemy's `orm/strategies.py`): the lazy load of a
//! relationship (`LazyLoader`), the joined eager load's extra columns and
//! joins (`JoinedLoader`), and the second SELECT of a `selectinload`
//! (`SelectInLoader`) or `subqueryload` (`SubqueryLoader`).

use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::hash_index::{FastHash, HashIndex, HashKey};
use crate::python::value::Value;
use crate::sql::elements::{
    Alias, Expr, FromClause, Join, LabelStyle, Name, Operator, Select, Selectable,
};
use crate::sql::schema::SqlValue;

use super::expression::bind_value;
use super::loading::JoinedRows;
use super::mapper::{AttrKind, AttrRef, Direction, LazyShape, Mapper, Relationship};
use super::query::{JoinedEager, JoinedParent, ParentRef, Query, relationship_condition};
use super::session::Session;
use super::state::KeyValues;
use super::state::Obj;
use super::strategy_options::{
    InnerJoin, LoadedColumns, LoaderOption, Strategy, child_options, has_option_for, innerjoin_for,
    loaded_columns, strategy_for,
};

impl Session {
    /// Lazy load of `rel` for `obj` with SQLAlchemy's statement
    /// (`WHERE ? = messages.user_id`); a many-to-one on the target's primary
    /// key looks in the identity map first and sends nothing on a hit.
    pub fn lazy_load(
        self: &Rc<Self>,
        obj: &Obj,
        rel: &Rc<Relationship>,
        cause: Cause,
    ) -> PyResult<Value> {
        let res = rel.resolve()?;
        let (raise_on_sql, mut options, and_criteria) = {
            match obj.borrow().rare() {
                Some(r) => (
                    r.raise_on_sql.contains(&rel.key),
                    r.lazy_options.get(&rel.key).cloned().unwrap_or_default(),
                    r.lazy_criteria.get(&rel.key).cloned(),
                ),
                None => (false, Vec::new(), None),
            }
        };
        let no_sql = || {
            crate::python::exceptions::invalid_request(format!(
                "'{}' is not available due to lazy='raise_on_sql'",
                rel.qualified_name()
            ))
        };
        let target = Selectable::Table(res.target.table.clone());
        let loaded = loaded_columns(&res.target, &options);
        // The WHERE clause and its bound values, in render order.
        let mut where_ = Vec::new();
        let mut binds: Vec<SqlValue> = Vec::new();
        let mut by_pk = false;
        match res.direction {
            Direction::ManyToOne => {
                let mut key = Vec::new();
                for (fk, _) in &res.pairs {
                    key.push(self.column_value(obj, *fk)?);
                }
                if key.iter().any(|v| matches!(v, Value::None)) {
                    return Ok(Value::None);
                }
                let target_pk = res.target.primary_key();
                // `LazyLoader.use_get`: by primary key, from the identity
                // map first, unless a `primaryjoin=` adds criteria.
                // `lazyload(rel.and_(…))` turns it off too.
                let on_pk = res.pairs.iter().map(|(_, t)| *t).collect::<Vec<_>>() == target_pk
                    && res.extra.is_none()
                    && and_criteria.is_none();
                by_pk = on_pk;
                // `refresh(obj, ["rel"])` (cause `Query`) always sends it.
                if on_pk
                    && cause != Cause::Query
                    && let Some(found) = self.identity_lookup(&res.target, &key)
                    && !found.borrow().has_expired_columns()
                {
                    return Ok(crate::orm::state::instance_value(found));
                }
                if raise_on_sql {
                    return Err(no_sql());
                }
                self.autoflush()?;
                for (i, ((fk, t), v)) in res.pairs.iter().zip(&key).enumerate() {
                    let ty = res.target.table.columns.get(*t).map(|c| c.sql_type.clone());
                    let value = bind_value(v, ty.as_ref())?;
                    binds.push(value.clone());
                    // by primary key: `Mapper._get_clause`'s `pk_1`; else the
                    // lazy clause's anonymous `param_1`
                    let bind = if on_pk {
                        Expr::BindParam {
                            key: format!("pk_{}", i + 1),
                            value,
                            unique: false,
                        }
                    } else {
                        lazy_bind(value)
                    };
                    let col = Expr::column(&target, *t);
                    where_.push(match res.parent_first(*fk, *t) {
                        Some(true) => Expr::binary(bind, Operator::Eq, col),
                        _ => Expr::binary(col, Operator::Eq, bind),
                    });
                }
            }
            Direction::OneToMany => {
                if raise_on_sql {
                    return Err(no_sql());
                }
                self.autoflush()?;
                for (p, t) in &res.pairs {
                    let v = self.column_value(obj, *p)?;
                    let ty = res.target.table.columns.get(*t).map(|c| c.sql_type.clone());
                    let value = bind_value(&v, ty.as_ref())?;
                    binds.push(value.clone());
                    let col = Expr::column(&target, *t);
                    where_.push(match res.parent_first(*p, *t) {
                        Some(false) => Expr::binary(col, Operator::Eq, lazy_bind(value)),
                        _ => Expr::binary(lazy_bind(value), Operator::Eq, col),
                    });
                }
            }
            Direction::ManyToMany => {
                if raise_on_sql {
                    return Err(no_sql());
                }
                self.autoflush()?;
                let Some((sec, _)) = &res.secondary else {
                    return Ok(Value::None);
                };
                let sec_sel = Selectable::Table(sec.clone());
                // `LazyLoader._generate_lazy_clause`: the primaryjoin with
                // the parent's columns bound to the object's values (in
                // render order), AND the secondaryjoin.
                let parent_table = obj.borrow().mapper.table.clone();
                let failed = std::cell::RefCell::new(None);
                let bound = std::cell::RefCell::new(Vec::new());
                let clauses = res.secondary_clauses(
                    &|c| {
                        let value = self.column_value(obj, c).and_then(|v| {
                            let ty = parent_table.columns.get(c).map(|col| col.sql_type.clone());
                            bind_value(&v, ty.as_ref())
                        });
                        match value {
                            Ok(v) => {
                                bound.borrow_mut().push(v.clone());
                                lazy_bind(v)
                            }
                            Err(e) => {
                                failed.borrow_mut().get_or_insert(e);
                                Expr::Null
                            }
                        }
                    },
                    &sec_sel,
                    &target,
                );
                if let Some(e) = failed.into_inner() {
                    return Err(e);
                }
                binds.extend(bound.into_inner());
                if let Some((p, s)) = clauses {
                    where_.push(p);
                    where_.push(s);
                }
            }
        }
        // A `primaryjoin=`'s other criteria, the parent's columns in them
        // bound to the object's values.
        // A `primaryjoin=`'s other criteria, the parent's columns in them
        // bound to the object's values.
        let parent_table = obj.borrow().mapper.table.clone();
        let extra_binds = std::cell::RefCell::new(Vec::new());
        let extra = res.extra_clause(
            &parent_table,
            &|c| {
                let v = self.column_value(obj, c)?;
                let ty = parent_table.columns.get(c).map(|col| col.sql_type.clone());
                let value = bind_value(&v, ty.as_ref())?;
                extra_binds.borrow_mut().push(value.clone());
                Ok(lazy_bind(value))
            },
            &|c| Ok(Expr::column(&target, c)),
        )?;
        binds.extend(extra_binds.into_inner());
        where_.extend(extra);
        // `lazyload(rel.and_(…))`'s criteria, then `with_loader_criteria()`
        // for the target (SQLAlchemy's `_emit_lazyload` adds the former as
        // a `LoaderCriteriaOption`, which the objects loaded keep too).
        if let Some(c) = super::strategy_options::relationship_load_criteria(
            and_criteria.clone(),
            &options,
            &res.target,
        ) {
            where_.push((*c).clone());
        }
        if let Some(c) = &and_criteria {
            options.push(Rc::new(LoaderOption {
                path: Vec::new(),
                wildcard: None,
                column: None,
                loader_criteria: Some(Rc::new(super::strategy_options::LoaderCriteria {
                    mapper: res.target.clone(),
                    criteria: (**c).clone(),
                    include_aliases: false,
                })),
            }));
        }
        // Loader options on the object (`load_only`, `defer` …) are rare
        // here: their statements are compiled each time.
        let shape = (options.is_empty() && loaded.exprs.is_empty()).then(|| LazyShape {
            dialect: self.dialect(),
            cols: loaded.cols.clone(),
            by_pk,
            binds: binds.iter().map(std::mem::discriminant).collect(),
        });
        let cached = shape.as_ref().and_then(|sh| rel.lazy_sql(sh, &binds));
        if self.db.echo().debug() {
            let mut types = Vec::new();
            super::loading::mapper_types(&mut types, &res.target, 0, Some(&loaded));
            *self.row_types.borrow_mut() = Some(types);
        }
        let rows = match cached {
            Some(compiled) => self.run_compiled_select(&compiled, cause)?,
            None => {
                let columns: Vec<Expr> = loaded.select_list(&res.target, &target);
                let mut select = Select::new(columns, LabelStyle::TablenamePlusCol);
                select.where_ = where_;
                select.order_by = relationship_order_by(rel, &target)?;
                let compiled = self.compile_select_for_run(&select)?;
                if let Some(sh) = shape {
                    rel.store_lazy_sql(sh, &binds, &compiled);
                }
                self.run_compiled_select(&compiled, cause)?
            }
        };
        let mut items = Vec::new();
        let mut objs = Vec::new();
        for row in &rows {
            if let Some(o) = self.load_row_columns(&res.target, row, 0, Some(&loaded), false)? {
                objs.push(o.clone());
                items.push(crate::orm::state::instance_value(o));
            }
        }
        {
            // The lazy load carries on the parent's load path, of which
            // the tutor keeps the parent's own mapper.
            let parent = obj.borrow().mapper.clone();
            let _path = super::loading::LoadPath::enter(&[&parent]);
            self.post_load(&res.target, &objs, &options)?;
        }
        if res.uselist {
            Ok(Value::list(items))
        } else {
            if items.len() > 1 {
                // `LazyLoader._emit_lazyload`'s warning (its trailing space too).
                crate::python::warnings::warn(
                    "SAWarning",
                    format!(
                        "Multiple rows returned with uselist=False for lazily-loaded attribute '{}' ",
                        rel.qualified_name()
                    ),
                );
            }
            Ok(items.into_iter().next().unwrap_or(Value::None))
        }
    }
}

/// Adds the joined eager loads below `mapper` (whose columns come from
/// `parent`): for each relationship, in mapper order, that an option or its
/// `lazy="joined"` loads with a join, the target is aliased (`users AS
/// users_1`) and joined onto `from` (`LEFT OUTER JOIN`, or `JOIN` for
/// `innerjoin=True`); deeper joined loads add their columns before the
/// shallower ones, as SQLAlchemy's `JoinedLoader` does.
#[allow(clippy::too_many_arguments)]
pub fn add_joined_children(
    columns: &mut Vec<Expr>,
    from: &mut FromClause,
    order_by: &mut Vec<Expr>,
    mapper: &Rc<Mapper>,
    parent: &ParentRef,
    options: &[Rc<LoaderOption>],
    joined: &mut Vec<JoinedEager>,
    parent_ref: JoinedParent,
    depth: usize,
) -> PyResult<()> {
    let mut build = JoinedBuild {
        columns,
        from,
        order_by,
        joined,
    };
    let level = JoinedLevel {
        mapper,
        parent,
        options,
        parent_ref,
        depth,
        chained_from_outer: false,
    };
    joined_children(&mut build, &level)
}

/// What the joined eager loads add to a SELECT.
struct JoinedBuild<'a> {
    columns: &'a mut Vec<Expr>,
    from: &'a mut FromClause,
    /// The relationships' `order_by=`, appended to the statement's.
    order_by: &'a mut Vec<Expr>,
    joined: &'a mut Vec<JoinedEager>,
}

/// Where in the tree of joined eager loads the next ones hang.
struct JoinedLevel<'a> {
    mapper: &'a Rc<Mapper>,
    parent: &'a ParentRef,
    options: &'a [Rc<LoaderOption>],
    parent_ref: JoinedParent,
    depth: usize,
    /// An enclosing joined load is an outer join (SQLAlchemy's
    /// `chained_from_outerjoin`): an inner join below it is spliced inside.
    chained_from_outer: bool,
}

fn joined_children(build: &mut JoinedBuild, level: &JoinedLevel) -> PyResult<()> {
    if level.depth > 8 {
        return Ok(());
    }
    let mapper = level.mapper;
    let rels: Vec<Rc<Relationship>> = mapper.relationships.borrow().clone();
    for rel in rels {
        // Default lazy="joined" applies at the top level only, to avoid cycles.
        let strategy = strategy_for(level.options, mapper, &rel);
        if strategy != Strategy::Joined {
            continue;
        }
        let explicit = has_option_for(level.options, mapper, &rel);
        if level.depth > 0 && !explicit {
            continue;
        }
        let res = rel.resolve()?;
        // Nor does it load its own mapper again (a self-referential
        // `lazy="joined"` without `join_depth`): SQLAlchemy's `JoinedLoader`
        // stops where the path already holds the target mapper.
        if !explicit && Rc::ptr_eq(&res.target, mapper) {
            continue;
        }
        let alias = ParentRef::table(Selectable::Alias(Rc::new(Alias {
            table: res.target.table.clone(),
            name: Name::Anon(res.target.table.name.clone()),
        })));
        let innerjoin = innerjoin_for(level.options, mapper, &rel);
        let chained_from_outer = level.chained_from_outer || !innerjoin.is_inner();
        let mut steps = join_steps(&res, &mapper.table, level.parent, &alias)?;
        add_criteria(
            &mut steps,
            super::strategy_options::relationship_load_criteria(
                super::strategy_options::criteria_for(level.options, mapper, &rel),
                level.options,
                &res.target,
            ),
            &res.target.table,
        );
        let left = std::mem::replace(build.from, FromClause::Selectable(level.parent.sel.clone()));
        *build.from = if level.chained_from_outer && innerjoin == InnerJoin::Nested {
            splice_nested_inner_join(&left, &level.parent.sel, &steps)
                .unwrap_or_else(|| join_direct(left, &steps, innerjoin.is_inner()))
        } else {
            let outer = !innerjoin.is_inner()
                || (chained_from_outer && matches!(left, FromClause::Join(_)));
            join_direct(left, &steps, !outer)
        };
        // `JoinedLoader._create_eager_join`: the relationship's
        // `order_by=` on the alias, after the statement's own ORDER BY.
        build
            .order_by
            .extend(relationship_order_by(&rel, &alias.sel)?);
        let index = build.joined.len();
        let below = child_options(level.options, mapper, &rel);
        let loaded = loaded_columns(&res.target, &below);
        build.joined.push(JoinedEager {
            parent: level.parent_ref,
            attr: AttrRef::new(
                mapper.clone(),
                rel.key.clone(),
                AttrKind::Relationship(rel.clone()),
            ),
            offset: 0,
            child_options: below.clone(),
            columns: (!loaded.is_full(&res.target)).then(|| loaded.clone()),
        });
        joined_children(
            build,
            &JoinedLevel {
                mapper: &res.target,
                parent: &alias,
                options: &below,
                parent_ref: JoinedParent::Joined(index),
                depth: level.depth + 1,
                chained_from_outer,
            },
        )?;
        build.joined[index].offset = build.columns.len();
        if !loaded.exprs.is_empty() {
            if alias.offset != 0 {
                return Err(PyErr::unsupported(
                    "a joined eager load of a class with a column_property() from a wrapped subquery",
                ));
            }
            build
                .columns
                .extend(loaded.select_list(&res.target, &alias.sel));
        } else {
            for &i in &loaded.cols {
                build.columns.push(alias.col(i));
            }
        }
    }
    Ok(())
}

/// The joins one joined eager load adds, in order: the target alias with
/// its ON clause, or for a many-to-many the secondary table's alias then
/// the target's.
fn join_steps(
    res: &super::mapper::Resolved,
    parent_table: &crate::sql::schema::TableRef,
    parent: &ParentRef,
    alias: &ParentRef,
) -> PyResult<Vec<(Selectable, Expr)>> {
    let Some((sec, _)) = &res.secondary else {
        return Ok(vec![(
            alias.sel.clone(),
            relationship_condition(res, parent_table, parent, alias)?,
        )]);
    };
    let sec_alias = Selectable::Alias(Rc::new(Alias {
        table: sec.clone(),
        name: Name::Anon(sec.name.clone()),
    }));
    let Some((parent_on, target_on)) =
        res.secondary_clauses(&|c| parent.col(c), &sec_alias, &alias.sel)
    else {
        return Ok(Vec::new());
    };
    Ok(vec![
        (sec_alias.clone(), parent_on),
        (alias.sel.clone(), target_on),
    ])
}

/// A relationship option's `.and_()` criteria ANDed to the ON clause of
/// the last join step (the target's), its columns read from that step's
/// FROM object.
fn add_criteria(
    steps: &mut [(Selectable, Expr)],
    criteria: Option<Rc<Expr>>,
    table: &crate::sql::schema::TableRef,
) {
    let (Some(c), Some((sel, on))) = (criteria, steps.last_mut()) else {
        return;
    };
    let c = c.map_columns_deep(&|col| match &col.from {
        Selectable::Table(t) if Rc::ptr_eq(t, table) => Some(Expr::column(sel, col.index)),
        _ => None,
    });
    *on = Expr::and(vec![on.clone(), c]);
}

fn join(left: FromClause, right: FromClause, on: Expr, outer: bool) -> FromClause {
    FromClause::Join(Rc::new(Join {
        full: false,
        left,
        right,
        on,
        outer,
    }))
}

/// Joins the steps straight onto `left`. An outer many-to-many load nests
/// its two joins (`LEFT OUTER JOIN (user_groups AS user_groups_1 JOIN
/// groups AS groups_1 ON …) ON …`); an inner one chains them.
fn join_direct(left: FromClause, steps: &[(Selectable, Expr)], inner: bool) -> FromClause {
    match steps {
        [(sec, parent_on), (target, target_on)] if !inner => {
            let right = join(
                FromClause::Selectable(sec.clone()),
                FromClause::Selectable(target.clone()),
                target_on.clone(),
                false,
            );
            join(left, right, parent_on.clone(), true)
        }
        _ => steps.iter().fold(left, |acc, (sel, on)| {
            join(acc, FromClause::Selectable(sel.clone()), on.clone(), !inner)
        }),
    }
}

/// SQLAlchemy's `JoinedLoader._splice_nested_inner_join`: an inner joined
/// load below an outer one goes inside it, next to its parent
/// (`LEFT OUTER JOIN (users AS users_1 JOIN roles AS roles_1 ON …) ON …`).
/// `None` when `parent` is not in `from`.
fn splice_nested_inner_join(
    from: &FromClause,
    parent: &Selectable,
    steps: &[(Selectable, Expr)],
) -> Option<FromClause> {
    match from {
        FromClause::Selectable(s) if s.same(parent) => Some(join_direct(from.clone(), steps, true)),
        FromClause::Selectable(_) => None,
        FromClause::Join(j) => {
            if let Some(target) = splice_nested_inner_join(&j.right, parent, steps) {
                // Flatten `a JOIN (b JOIN c)` into `a JOIN b JOIN c`, as
                // SQLAlchemy's `_splice_into_center` does.
                if !j.outer
                    && let Some(flat) = splice_into_center(&target, &j.right, &j.left, &j.on)
                {
                    return Some(flat);
                }
                return Some(join(j.left.clone(), target, j.on.clone(), j.outer));
            }
            let target = splice_nested_inner_join(&j.left, parent, steps)?;
            Some(join(target, j.right.clone(), j.on.clone(), j.outer))
        }
    }
}

/// `inner` is a chain of inner joins starting at `leaf`: the same chain
/// starting at `left JOIN leaf ON on` instead, so `a JOIN (b JOIN c)`
/// renders as `a JOIN b JOIN c`.
fn splice_into_center(
    inner: &FromClause,
    leaf: &FromClause,
    left: &FromClause,
    on: &Expr,
) -> Option<FromClause> {
    let FromClause::Join(t) = inner else {
        return None;
    };
    if t.outer {
        return None;
    }
    let new_left = if from_same(&t.left, leaf) {
        join(left.clone(), t.left.clone(), on.clone(), false)
    } else {
        splice_into_center(&t.left, leaf, left, on)?
    };
    Some(join(new_left, t.right.clone(), t.on.clone(), false))
}

fn from_same(a: &FromClause, b: &FromClause) -> bool {
    match (a, b) {
        (FromClause::Selectable(x), FromClause::Selectable(y)) => x.same(y),
        (FromClause::Join(x), FromClause::Join(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// Appends `k` to `keys` unless an equal key (`==`) is there already;
/// `seen` indexes `keys`.
fn push_distinct(keys: &mut Vec<Vec<Value>>, seen: &mut HashIndex, k: Vec<Value>) {
    let hash = HashKey::of_key(&k);
    if seen
        .find(&hash, |i| crate::python::ops::key_equal(&keys[i], &k))
        .is_none()
    {
        seen.insert(hash, keys.len());
        keys.push(k);
    }
}

/// Key values of `obj` for table columns `cols`, as Python values.
/// The parameter of a lazy load's clause: SQLAlchemy's anonymous
/// `bindparam(None, unique=True)` (`LazyLoader._generate_lazy_clause`),
/// named `param_1`.
pub(super) fn lazy_bind(value: crate::sql::schema::SqlValue) -> Expr {
    Expr::BindParam {
        key: "param".into(),
        value,
        unique: true,
    }
}

fn key_of(session: &Rc<Session>, obj: &Obj, cols: &[usize]) -> PyResult<Vec<Value>> {
    cols.iter().map(|c| session.column_value(obj, *c)).collect()
}

fn bind_key(
    table: &crate::sql::schema::Table,
    cols: &[usize],
    key: &[Value],
) -> PyResult<Vec<Expr>> {
    cols.iter()
        .zip(key)
        .map(|(c, v)| {
            let ty = table.columns.get(*c).map(|col| col.sql_type.clone());
            // `in_expr.in_(bindparam("primary_keys"))`
            Ok(Expr::BindParam {
                key: "primary_keys".into(),
                value: super::expression::bind_value(v, ty.as_ref())?,
                unique: false,
            })
        })
        .collect()
}

/// `cols IN (?, …)` for one key column.
fn in_clause(left: Expr, values: Vec<Expr>) -> Expr {
    Expr::In {
        left: Box::new(left),
        values,
        negated: false,
    }
}

/// Stores loaded children on each parent: a collection or a scalar.
fn assign_loaded(
    session: &Rc<Session>,
    parents: &[Obj],
    key: &str,
    uselist: bool,
    parent_key: &dyn Fn(&Obj) -> PyResult<Vec<Value>>,
    found: &[(KeyValues, Obj)],
) -> PyResult<()> {
    // The children of each hash key as a chain through `next` (first,
    // last, count): no list allocated per key.
    let mut chains: std::collections::HashMap<HashKey, (usize, usize, usize), FastHash> =
        std::collections::HashMap::with_capacity_and_hasher(parents.len(), FastHash::default());
    let mut next = vec![usize::MAX; found.len()];
    // A run of children of one key (first, last, count) joins the chain of
    // its key once: a subquery's or selectin's rows come grouped by parent,
    // so most children are linked without hashing their key.
    let mut add_run =
        |(first, last, count): (usize, usize, usize), next: &mut Vec<usize>| match chains
            .entry(HashKey::of_key(&found[first].0))
        {
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let (_, chain_last, chain_count) = e.get_mut();
                next[*chain_last] = first;
                *chain_last = last;
                *chain_count += count;
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((first, last, count));
            }
        };
    let mut run: Option<(usize, usize, usize)> = None;
    for (i, (fk, _)) in found.iter().enumerate() {
        if let Some((first, last, count)) = &mut run
            && same_key(&found[*first].0, fk)
        {
            next[*last] = i;
            *last = i;
            *count += 1;
            continue;
        }
        if let Some(done) = run.replace((i, i, 1)) {
            add_run(done, &mut next);
        }
    }
    if let Some(done) = run {
        add_run(done, &mut next);
    }
    for p in parents {
        let k = parent_key(p)?;
        let (mut at, count) = match chains.get(&HashKey::of_key(&k)) {
            Some(&(first, _, count)) => (first, count),
            None => (usize::MAX, 0),
        };
        let mut items: Vec<Value> = Vec::with_capacity(count);
        while let Some((fk, child)) = found.get(at) {
            if same_key(fk, &k) {
                items.push(crate::orm::state::instance_value(child.clone()));
            }
            at = next[at];
        }
        if uselist {
            session.set_loaded_collection(p, key, items);
        } else {
            session.set_loaded_scalar(p, key, items.into_iter().next().unwrap_or(Value::None));
        }
    }
    Ok(())
}

/// [`crate::python::ops::key_equal`], a lone integer on each side compared
/// at once (the usual key, met once per child row).
fn same_key(a: &[Value], b: &[Value]) -> bool {
    match (a, b) {
        ([Value::Int(x)], [Value::Int(y)]) => x == y,
        _ => crate::python::ops::key_equal(a, b),
    }
}

/// Runs the `selectinload` of `attr` for `parents` (SQLAlchemy's
/// `SelectInLoader`): one `SELECT … WHERE key IN (?, …)` per 500 distinct
/// keys, then fills every parent's attribute. A one-to-many selects the
/// foreign key first; a many-to-one selects the target by primary key; a
/// many-to-many joins from an alias of the parent through the secondary
/// table (`FROM users AS users_1 JOIN user_groups AS user_groups_1 …`).
pub fn selectin_load(
    session: &Rc<Session>,
    attr: &AttrRef,
    parents: &[Obj],
    below: &[Rc<LoaderOption>],
) -> PyResult<()> {
    let AttrKind::Relationship(rel) = &attr.kind else {
        return Ok(());
    };
    let res = rel.resolve()?;
    let loaded = loaded_columns(&res.target, below);
    let mut joined = None;
    let load = SelectinLoad {
        session,
        attr,
        rel,
        res: &res,
        parents,
        loaded: &loaded,
        below,
    };
    let found = match res.direction {
        // `SelectInLoader._init_for_join`: a `primaryjoin=` with other
        // criteria loads through a join from the parent's alias.
        _ if res.extra.is_some() => selectin_via_parent(&load, &mut joined)?,
        Direction::OneToMany => selectin_one_to_many(&load, &mut joined)?,
        Direction::ManyToOne => selectin_many_to_one(&load, &mut joined)?,
        Direction::ManyToMany => selectin_via_parent(&load, &mut joined)?,
    };
    // A one-to-many's rows hold each child once (one foreign key each).
    let distinct = res.extra.is_none() && res.direction == Direction::OneToMany;
    match found {
        Some(found) => finish_load(session, &res.target, found, below, joined, distinct),
        None => Ok(()),
    }
}

/// What one `selectinload` works from.
struct SelectinLoad<'a> {
    session: &'a Rc<Session>,
    attr: &'a AttrRef,
    rel: &'a Rc<Relationship>,
    res: &'a super::mapper::Resolved,
    parents: &'a [Obj],
    loaded: &'a LoadedColumns,
    below: &'a [Rc<LoaderOption>],
}

/// Adds to a selectin or subquery load's SELECT the joined eager loads
/// that continue below it (`selectinload(User.messages).joinedload(Message.user)`,
/// and the target's own `lazy="joined"` relationships), as SQLAlchemy
/// joins them into that SELECT: their columns after the others, `LEFT
/// OUTER JOIN users AS users_1 ON …` onto its first FROM entry (the target
/// table when it has none). The reader of their rows is made from the
/// first statement's (`joined`), the same for every chunk.
fn join_below(
    select: &mut Select,
    target: &Rc<Mapper>,
    below: &[Rc<LoaderOption>],
    joined: &mut Option<JoinedRows>,
) -> PyResult<()> {
    let target_sel = Selectable::Table(target.table.clone());
    let bare = select.froms.is_empty();
    let mut base = if bare {
        FromClause::Selectable(target_sel.clone())
    } else {
        select.froms.remove(0)
    };
    let mut plan = Vec::new();
    add_joined_children(
        &mut select.columns,
        &mut base,
        &mut select.order_by,
        target,
        &ParentRef::table(target_sel),
        below,
        &mut plan,
        JoinedParent::Entity(0),
        0,
    )?;
    if !(bare && plan.is_empty()) {
        select.froms.insert(0, base);
    }
    if joined.is_none() {
        *joined = Some(JoinedRows::new(plan)?);
    }
    Ok(())
}

/// Reads the joined eager loads of one row of a selectin or subquery load
/// whose target object there is `child`.
fn join_row(
    session: &Rc<Session>,
    joined: &mut Option<JoinedRows>,
    row: &[SqlValue],
    child: &Obj,
) -> PyResult<()> {
    match joined {
        Some(j) if !j.is_empty() => j.row(session, row, |_| Some(child.clone()), false),
        _ => Ok(()),
    }
}

/// The end of a selectin or subquery load: the joined loads' attributes
/// set, then what continues below on the distinct children found, then
/// below the joined loads (as an ORM query's rows: `loading.instances`).
fn finish_load(
    session: &Rc<Session>,
    target: &Rc<Mapper>,
    found: Found,
    below: &[Rc<LoaderOption>],
    joined: Option<JoinedRows>,
    distinct: bool,
) -> PyResult<()> {
    let Some(mut joined) = joined.filter(|j| !j.is_empty()) else {
        return post_load_found(session, target, found, below, distinct);
    };
    joined.assign(session);
    post_load_found(session, target, found, below, distinct)?;
    joined.post_load(session)?;
    Ok(())
}

/// The distinct (parent key, child) pairs of `found`, in first-seen order:
/// a load that joins a collection below it meets each child once per
/// joined row.
fn distinct_found(found: Found) -> Found {
    let mut seen: std::collections::HashMap<*const crate::orm::state::InstanceCell, Vec<usize>> =
        std::collections::HashMap::new();
    let mut out: Found = Vec::with_capacity(found.len());
    for (key, child) in found {
        let at = seen.entry(Rc::as_ptr(&child)).or_default();
        if at
            .iter()
            .any(|&i| crate::python::ops::key_equal(&out[i].0, &key))
        {
            continue;
        }
        at.push(out.len());
        out.push((key, child));
    }
    out
}

/// Children a selectin load found, each with the parent key it belongs to
/// (a lone foreign key held inline: no allocation per child row).
type Found = Vec<(KeyValues, Obj)>;

/// `selectinload` of a one-to-many: the foreign key first, `WHERE fk IN (…)`.
fn selectin_one_to_many(
    load: &SelectinLoad,
    joined: &mut Option<JoinedRows>,
) -> PyResult<Option<Found>> {
    let SelectinLoad {
        session,
        attr,
        rel,
        res,
        parents,
        loaded,
        below,
    } = *load;
    let cause = Cause::EagerLoad(attr.qualified_name());
    let target_table = res.target.table.clone();
    let target = Selectable::Table(target_table.clone());
    let mut found: Found = Vec::new();
    let parent_cols: Vec<usize> = res.pairs.iter().map(|(p, _)| *p).collect();
    let fk_cols: Vec<usize> = res.pairs.iter().map(|(_, t)| *t).collect();
    let mut loaded = loaded.clone();
    // The foreign key is always selected (first), to match children to parents.
    for c in &fk_cols {
        if !loaded.cols.contains(c) {
            loaded.cols.push(*c);
            loaded.cols.sort_unstable();
            let key = res.target.column_key(*c).unwrap_or_default();
            loaded.deferred.retain(|(k, _)| k != key);
        }
    }
    let (columns, from_row) = keys_first_select_list(&res.target, &target, &loaded, &fk_cols);
    let mut keys: Vec<Vec<Value>> = Vec::new();
    let mut seen = HashIndex::new();
    for p in parents {
        let k = key_of(session, p, &parent_cols)?;
        if k.iter().all(|v| !matches!(v, Value::None)) {
            push_distinct(&mut keys, &mut seen, k);
        }
    }
    // One row's values in `loaded` order, refilled for each row.
    let mut compact: Vec<SqlValue> = Vec::with_capacity(from_row.len());
    for chunk in keys.chunks(500) {
        let mut select = Select::new(columns.clone(), LabelStyle::TablenamePlusCol);
        let [fk] = fk_cols.as_slice() else {
            lazy_each(session, rel, parents)?;
            return Ok(None);
        };
        let mut values = Vec::new();
        for k in chunk {
            values.extend(bind_key(&target_table, &fk_cols, k)?);
        }
        select
            .where_
            .push(in_clause(Expr::column(&target, *fk), values));
        // `selectinload(User.messages.and_(…))`'s criteria.
        select
            .where_
            .extend(attr.criteria_on(&target_table, &target));
        select.order_by = relationship_order_by(rel, &target)?;
        join_below(&mut select, &res.target, below, joined)?;
        set_row_types(session, || {
            keys_first_types(
                &res.target,
                &loaded,
                &fk_cols,
                &from_row,
                select.columns.len(),
            )
        });
        session.stream_select(&select, cause.clone(), &mut |row| {
            // Row layout: foreign keys first, then the expressions and the
            // other columns; the object is read from them in `loaded` order.
            let fk_value = key_from_row(&target_table, &fk_cols, |i, _| row.get(i));
            reorder_into(&mut compact, row, &from_row);
            if let Some(child) =
                session.load_row_columns(&res.target, &compact, 0, Some(&loaded), false)?
            {
                join_row(session, joined, row, &child)?;
                found.push((fk_value, child));
            }
            Ok(())
        })?;
    }
    let found = dedupe_if_joined(found, joined);
    assign_loaded(
        session,
        parents,
        &attr.key,
        res.uselist,
        &|p| key_of(session, p, &parent_cols),
        &found,
    )?;
    Ok(Some(found))
}

/// `echo="debug"`: the types of an eager load's row positions, for its
/// `Row (...)` lines (the values as the result processors give them), set
/// for the next SELECT the session runs. `types` is only built when logged.
fn set_row_types(
    session: &Session,
    types: impl FnOnce() -> Vec<Option<crate::sql::schema::SqlType>>,
) {
    if session.db.echo().debug() {
        *session.row_types.borrow_mut() = Some(types());
    }
}

/// The row types of a [`keys_first_select_list`] SELECT: the key columns,
/// then each loaded expression and column where `from_row` put it.
fn keys_first_types(
    target: &Mapper,
    loaded: &LoadedColumns,
    keys: &[usize],
    from_row: &[usize],
    width: usize,
) -> Vec<Option<crate::sql::schema::SqlType>> {
    let mut types = vec![None; width];
    for (i, c) in keys.iter().enumerate() {
        if let (Some(t), Some(col)) = (types.get_mut(i), target.table.columns.get(*c)) {
            *t = Some(col.sql_type.clone());
        }
    }
    let mut in_loaded_order = Vec::new();
    super::loading::mapper_types(&mut in_loaded_order, target, 0, Some(loaded));
    for (j, &at) in from_row.iter().enumerate() {
        if let Some(t) = types.get_mut(at) {
            *t = in_loaded_order.get(j).cloned().flatten();
        }
    }
    types
}

/// The row types of a SELECT of `cols` of `table` then a load's
/// `loaded.select_list()` (`first_cols` true), or the other way round.
fn table_then_loaded_types(
    table: &crate::sql::schema::Table,
    cols: &[usize],
    target: &Mapper,
    loaded: &LoadedColumns,
    first_cols: bool,
    width: usize,
) -> Vec<Option<crate::sql::schema::SqlType>> {
    let col_types: Vec<Option<crate::sql::schema::SqlType>> = cols
        .iter()
        .map(|c| table.columns.get(*c).map(|col| col.sql_type.clone()))
        .collect();
    let mut types = Vec::new();
    if first_cols {
        types.extend(col_types);
        super::loading::mapper_types(&mut types, target, cols.len(), Some(loaded));
    } else {
        super::loading::mapper_types(&mut types, target, 0, Some(loaded));
        let n = loaded.exprs.len() + loaded.cols.len();
        types.resize(n, None);
        types.extend(col_types);
    }
    types.resize(width, None);
    types
}

/// The SELECT list of a selectin load without a join, as SQLAlchemy's
/// `SelectInLoader` selects `[bundle of keys, entity]`: the `keys` columns
/// first (the one-to-many's foreign key, the many-to-one's primary key),
/// then the entity's `column_property()` expressions, then its other
/// loaded columns (a key column is selected once). Also where each of
/// `loaded`'s positions (its expressions, then its columns) sits in a row.
fn keys_first_select_list(
    target: &super::mapper::Mapper,
    sel: &Selectable,
    loaded: &LoadedColumns,
    keys: &[usize],
) -> (Vec<Expr>, Vec<usize>) {
    let mut list = loaded.select_list(target, sel);
    let others: Vec<usize> = loaded
        .cols
        .iter()
        .copied()
        .filter(|c| !keys.contains(c))
        .collect();
    let mut columns: Vec<Expr> = keys.iter().map(|c| Expr::column(sel, *c)).collect();
    let exprs = loaded.exprs.len().min(list.len());
    columns.extend(list.drain(..exprs));
    columns.extend(others.iter().map(|c| Expr::column(sel, *c)));
    let mut from_row: Vec<usize> = (keys.len()..keys.len() + exprs).collect();
    for c in &loaded.cols {
        let at = match keys.iter().position(|k| k == c) {
            Some(k) => k,
            None => match others.iter().position(|o| o == c) {
                Some(o) => keys.len() + exprs + o,
                None => usize::MAX,
            },
        };
        from_row.push(at);
    }
    (columns, from_row)
}

/// `selectinload` of a many-to-one: the target by primary key, `WHERE pk IN (…)`.
fn selectin_many_to_one(
    load: &SelectinLoad,
    joined: &mut Option<JoinedRows>,
) -> PyResult<Option<Found>> {
    let SelectinLoad {
        session,
        attr,
        rel,
        res,
        parents,
        loaded,
        below,
    } = *load;
    let cause = Cause::EagerLoad(attr.qualified_name());
    let target_table = res.target.table.clone();
    let target = Selectable::Table(target_table.clone());
    let mut found: Found = Vec::new();
    let fk_cols: Vec<usize> = res.pairs.iter().map(|(p, _)| *p).collect();
    let target_cols: Vec<usize> = res.pairs.iter().map(|(_, t)| *t).collect();
    let mut keys: Vec<Vec<Value>> = Vec::new();
    let mut seen = HashIndex::new();
    for p in parents {
        let k = key_of(session, p, &fk_cols)?;
        if k.iter().all(|v| !matches!(v, Value::None)) {
            push_distinct(&mut keys, &mut seen, k);
        }
    }
    let [tc] = target_cols.as_slice() else {
        lazy_each(session, rel, parents)?;
        return Ok(None);
    };
    let (columns, from_row) = keys_first_select_list(&res.target, &target, loaded, &target_cols);
    for chunk in keys.chunks(500) {
        let mut select = Select::new(columns.clone(), LabelStyle::TablenamePlusCol);
        let mut values = Vec::new();
        for k in chunk {
            values.extend(bind_key(&target_table, &target_cols, k)?);
        }
        select
            .where_
            .push(in_clause(Expr::column(&target, *tc), values));
        // `selectinload(User.messages.and_(…))`'s criteria.
        select
            .where_
            .extend(attr.criteria_on(&target_table, &target));
        join_below(&mut select, &res.target, below, joined)?;
        let mut compact = Vec::with_capacity(from_row.len());
        set_row_types(session, || {
            keys_first_types(
                &res.target,
                loaded,
                &target_cols,
                &from_row,
                select.columns.len(),
            )
        });
        session.stream_select(&select, cause.clone(), &mut |row| {
            reorder_into(&mut compact, row, &from_row);
            if let Some(child) =
                session.load_row_columns(&res.target, &compact, 0, Some(loaded), false)?
            {
                join_row(session, joined, row, &child)?;
                let k = KeyValues::from_vec(key_of(session, &child, &target_cols)?);
                found.push((k, child));
            }
            Ok(())
        })?;
    }
    let found = dedupe_if_joined(found, joined);
    assign_loaded(
        session,
        parents,
        &attr.key,
        false,
        &|p| key_of(session, p, &fk_cols),
        &found,
    )?;
    Ok(Some(found))
}

/// `selectinload` through a join from an alias of the parent, keyed by
/// its primary key (SQLAlchemy's `_init_for_join`): a many-to-many through
/// the secondary table (`FROM users AS users_1 JOIN user_groups AS
/// user_groups_1 … JOIN groups …`), a relationship whose `primaryjoin=`
/// has other criteria along its whole join condition (`FROM people AS
/// people_1 JOIN addresses ON people_1.id = addresses.person_id AND
/// addresses.email LIKE ?`).
fn selectin_via_parent(
    load: &SelectinLoad,
    joined: &mut Option<JoinedRows>,
) -> PyResult<Option<Found>> {
    let SelectinLoad {
        session,
        attr,
        rel,
        res,
        parents,
        loaded,
        below,
    } = *load;
    let cause = Cause::EagerLoad(attr.qualified_name());
    let target_table = res.target.table.clone();
    let target = Selectable::Table(target_table.clone());
    let mut found: Found = Vec::new();
    let parent_mapper = attr.mapper.clone();
    let parent_cols: Vec<usize> = match &res.secondary {
        Some(_) => res.pairs.iter().map(|(p, _)| *p).collect(),
        None => parent_mapper.primary_key(),
    };
    let mut keys: Vec<Vec<Value>> = Vec::new();
    let mut seen = HashIndex::new();
    for p in parents {
        let k = key_of(session, p, &parent_cols)?;
        push_distinct(&mut keys, &mut seen, k);
    }
    let [pc] = parent_cols.as_slice() else {
        lazy_each(session, rel, parents)?;
        return Ok(None);
    };
    let parent_alias = Selectable::Alias(Rc::new(Alias {
        table: parent_mapper.table.clone(),
        name: Name::Anon(parent_mapper.table.name.clone()),
    }));
    let mut steps = join_steps(
        res,
        &parent_mapper.table,
        &ParentRef::table(parent_alias.clone()),
        &ParentRef::table(target.clone()),
    )?;
    // `selectinload(Group.users.and_(…))`'s criteria, on the target's join.
    add_criteria(&mut steps, attr.criteria.clone(), &target_table);
    if steps.is_empty() {
        return Ok(None);
    }
    for chunk in keys.chunks(500) {
        let mut columns: Vec<Expr> = parent_cols
            .iter()
            .map(|c| Expr::column(&parent_alias, *c))
            .collect();
        columns.extend(loaded.select_list(&res.target, &target));
        let mut select = Select::new(columns, LabelStyle::TablenamePlusCol);
        select.froms.push(join_direct(
            FromClause::Selectable(parent_alias.clone()),
            &steps,
            true,
        ));
        let mut values = Vec::new();
        for k in chunk {
            values.extend(bind_key(&parent_mapper.table, &parent_cols, k)?);
        }
        select
            .where_
            .push(in_clause(Expr::column(&parent_alias, *pc), values));
        select.order_by = relationship_order_by(rel, &target)?;
        join_below(&mut select, &res.target, below, joined)?;
        set_row_types(session, || {
            table_then_loaded_types(
                &parent_mapper.table,
                &parent_cols,
                &res.target,
                loaded,
                true,
                select.columns.len(),
            )
        });
        session.stream_select(&select, cause.clone(), &mut |row| {
            let pk = key_from_row(&parent_mapper.table, &parent_cols, |i, _| row.get(i));
            if let Some(child) = session.load_row_columns(
                &res.target,
                row,
                parent_cols.len(),
                Some(loaded),
                false,
            )? {
                join_row(session, joined, row, &child)?;
                found.push((pk, child));
            }
            Ok(())
        })?;
    }
    let found = dedupe_if_joined(found, joined);
    assign_loaded(
        session,
        parents,
        &attr.key,
        res.uselist,
        &|p| key_of(session, p, &parent_cols),
        &found,
    )?;
    Ok(Some(found))
}

/// A key read from a result row as Python values: for the `i`-th of
/// `cols` (table column `c`), `value(i, c)` gives the raw value.
fn key_from_row<'r>(
    table: &crate::sql::schema::Table,
    cols: &[usize],
    value: impl Fn(usize, usize) -> Option<&'r SqlValue>,
) -> KeyValues {
    let one = |i: usize, c: usize| {
        super::expression::result_value(
            value(i, c).unwrap_or(&SqlValue::Null),
            table.columns.get(c).map(|col| &col.sql_type),
        )
    };
    match cols {
        [c] => KeyValues::One(one(0, *c)),
        _ => KeyValues::Many(cols.iter().enumerate().map(|(i, c)| one(i, *c)).collect()),
    }
}

/// Refills `out` with `row`'s values at `positions` (`Null` past its
/// end), reusing the buffers of the text values already there: a selectin
/// row's columns put in the order its object is read in, without an
/// allocation per row.
fn reorder_into(out: &mut Vec<SqlValue>, row: &[SqlValue], positions: &[usize]) {
    out.resize(positions.len(), SqlValue::Null);
    for (slot, &at) in out.iter_mut().zip(positions) {
        match (slot, row.get(at)) {
            (SqlValue::Text(s), Some(SqlValue::Text(t))) => s.clone_from(t),
            (slot, Some(v)) => *slot = v.clone(),
            (slot, None) => *slot = SqlValue::Null,
        }
    }
}

/// Runs the loads that continue below on the distinct children found.
/// `distinct`: `found` holds each child once already (a one-to-many
/// selectin load's rows, one per child), so no set of them is built.
fn post_load_found(
    session: &Rc<Session>,
    target: &Rc<Mapper>,
    found: Found,
    below: &[Rc<LoaderOption>],
    distinct: bool,
) -> PyResult<()> {
    let children: Vec<Obj> = if distinct {
        found.into_iter().map(|(_, c)| c).collect()
    } else {
        let mut children = super::state::ObjSet::with_expected(found.len());
        for (_, c) in &found {
            children.insert(c);
        }
        children.into_vec()
    };
    session.post_load(target, &children, below)
}

/// Falls back to one lazy load per parent (composite keys).
fn lazy_each(session: &Rc<Session>, rel: &Rc<Relationship>, parents: &[Obj]) -> PyResult<()> {
    for p in parents {
        let v = session.lazy_load(p, rel, Cause::EagerLoad(rel.qualified_name()))?;
        match v {
            Value::List(l) => {
                let items = l.items.borrow().clone();
                session.set_loaded_collection(p, &rel.key, items);
            }
            other => session.set_loaded_scalar(p, &rel.key, other),
        }
    }
    Ok(())
}

/// Runs the `subqueryload` of `attr` for the objects `query` loaded as
/// entity `entity` (SQLAlchemy's `SubqueryLoader`): the original query,
/// reduced to the parent's key columns, becomes `anon_1`, joined to the
/// target: `SELECT messages.…, anon_1.users_id FROM (SELECT users.id AS
/// users_id FROM users WHERE …) AS anon_1 JOIN messages ON anon_1.users_id =
/// messages.user_id`.
pub fn subquery_load(
    session: &Rc<Session>,
    attr: &AttrRef,
    parents: &[Obj],
    query: &Query,
    entity: usize,
    below: &[Rc<LoaderOption>],
) -> PyResult<()> {
    let AttrKind::Relationship(rel) = &attr.kind else {
        return Ok(());
    };
    let res = rel.resolve()?;
    let loaded = loaded_columns(&res.target, below);
    if matches!(
        query.entities.get(entity),
        Some(super::query::Entity::Mapper(_, Some(_), _))
    ) {
        return Err(PyErr::unsupported(
            "subqueryload() from an aliased() entity",
        ));
    }
    let parent_table = attr.mapper.table.clone();
    let parent_sel = Selectable::Table(parent_table.clone());
    let (inner_base, _) = query.to_select_plain()?;
    // The parent-side columns the subquery carries.
    let parent_cols: Vec<usize> = match res.direction {
        Direction::ManyToOne => res.pairs.iter().map(|(p, _)| *p).collect(),
        _ => res.pairs.iter().map(|(p, _)| *p).collect(),
    };
    let mut inner = inner_base;
    inner.columns = parent_cols
        .iter()
        .map(|c| Expr::column(&parent_sel, *c))
        .collect();
    inner.label_style = LabelStyle::TablenamePlusCol;
    if inner.limit.is_none() && inner.offset.is_none() {
        inner.order_by.clear();
    }
    if res.direction == Direction::ManyToOne {
        inner.distinct = true;
    }
    let _ = entity;
    let sub = Rc::new(crate::sql::elements::Subquery::new(
        inner,
        Name::Anon("anon".into()),
        false,
    ));
    let sub_sel = Selectable::Subquery(sub);
    let target_table = res.target.table.clone();
    let target = Selectable::Table(target_table.clone());
    // The target's loaded expressions and columns, then the subquery's.
    let mut columns: Vec<Expr> = loaded.select_list(&res.target, &target);
    let ncols = columns.len();
    columns.extend((0..parent_cols.len()).map(|i| Expr::column(&sub_sel, i)));
    let mut select = Select::new(columns, LabelStyle::TablenamePlusCol);
    let sub_col = |p: usize| -> Expr {
        let i = parent_cols.iter().position(|c| *c == p).unwrap_or(0);
        Expr::column(&sub_sel, i)
    };
    let from = match &res.secondary {
        Some((sec, _)) => {
            let sec_alias = Selectable::Alias(Rc::new(Alias {
                table: sec.clone(),
                name: Name::Anon(sec.name.clone()),
            }));
            let (on1, on2) = res
                .secondary_clauses(&|c| sub_col(c), &sec_alias, &target)
                .ok_or_else(|| PyErr::unsupported("subqueryload() of this relationship"))?;
            let on2 = match attr.criteria_on(&target_table, &target) {
                Some(c) => Expr::and(vec![on2, c]),
                None => on2,
            };
            let first = FromClause::Join(Rc::new(Join {
                left: FromClause::Selectable(sub_sel.clone()),
                right: FromClause::Selectable(sec_alias.clone()),
                on: on1,
                outer: false,
                full: false,
            }));
            FromClause::Join(Rc::new(Join {
                left: first,
                right: FromClause::Selectable(target.clone()),
                on: on2,
                outer: false,
                full: false,
            }))
        }
        None => {
            let on = Expr::and(
                res.pairs
                    .iter()
                    .map(|(p, t)| match res.direction {
                        Direction::ManyToOne => Expr::binary(
                            Expr::column(&target, *t),
                            crate::sql::elements::Operator::Eq,
                            sub_col(*p),
                        ),
                        _ => Expr::binary(
                            sub_col(*p),
                            crate::sql::elements::Operator::Eq,
                            Expr::column(&target, *t),
                        ),
                    })
                    .collect(),
            );
            // A `primaryjoin=`'s other criteria, on the subquery's columns.
            let extra = res.extra_clause(
                &parent_table,
                &|c| match parent_cols.contains(&c) {
                    true => Ok(sub_col(c)),
                    false => Err(PyErr::unsupported(
                        "subqueryload() on a relationship whose primaryjoin= names other columns of the parent",
                    )),
                },
                &|c| Ok(Expr::column(&target, c)),
            )?;
            let on = match extra {
                Some(extra) => Expr::and(vec![on, extra]),
                None => on,
            };
            // `subqueryload(User.messages.and_(…))`'s criteria.
            let on = match attr.criteria_on(&target_table, &target) {
                Some(c) => Expr::and(vec![on, c]),
                None => on,
            };
            FromClause::Join(Rc::new(Join {
                left: FromClause::Selectable(sub_sel.clone()),
                right: FromClause::Selectable(target.clone()),
                on,
                outer: false,
                full: false,
            }))
        }
    };
    select.froms.push(from);
    select.order_by = relationship_order_by(rel, &target)?;
    let mut joined = None;
    join_below(&mut select, &res.target, below, &mut joined)?;
    let cause = Cause::EagerLoad(attr.qualified_name());
    let mut found: Found = Vec::new();
    set_row_types(session, || {
        table_then_loaded_types(
            &parent_table,
            &parent_cols,
            &res.target,
            &loaded,
            false,
            select.columns.len(),
        )
    });
    session.stream_select(&select, cause, &mut |row| {
        let key = key_from_row(&parent_table, &parent_cols, |i, _| row.get(ncols + i));
        if let Some(child) = session.load_row_columns(&res.target, row, 0, Some(&loaded), false)? {
            join_row(session, &mut joined, row, &child)?;
            found.push((key, child));
        }
        Ok(())
    })?;
    let found = dedupe_if_joined(found, &joined);
    assign_loaded(
        session,
        parents,
        &attr.key,
        res.uselist,
        &|p| key_of(session, p, &parent_cols),
        &found,
    )?;
    finish_load(session, &res.target, found, below, joined, false)
}

/// [`distinct_found`] when the load joined something below it.
fn dedupe_if_joined(found: Found, joined: &Option<JoinedRows>) -> Found {
    match joined {
        Some(j) if !j.is_empty() => distinct_found(found),
        _ => found,
    }
}

/// The ORDER BY of a relationship's `order_by=`, its target table's
/// columns adapted to `target` (the table itself, or the alias of a joined
/// eager load: SQLAlchemy's `eager_order_by`).
pub fn relationship_order_by(rel: &Relationship, target: &Selectable) -> PyResult<Vec<Expr>> {
    let Some(order) = &rel.decl.order_by else {
        return Ok(Vec::new());
    };
    // `order_by=lambda: ...`: what the interpreter got calling it.
    let evaluated = rel.order_by_evaluated.borrow().clone();
    let order = match (order, &evaluated) {
        (Value::Function(_), Some(v)) => v,
        (Value::Function(_), None) => {
            return Err(crate::python::exceptions::PyErr::unsupported(
                "relationship(order_by=lambda: ...) before the classes it names exist",
            ));
        }
        (o, _) => o,
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
                let res = rel.resolve()?;
                let inner = s.trim().trim_start_matches('[').trim_end_matches(']');
                for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    out.push(order_by_text(part, &res.target).ok_or_else(|| {
                        crate::python::exceptions::PyErr::unsupported(format!(
                            "relationship(order_by=\"{part}\")"
                        ))
                        .with_hint(
                            "name a column: \"Message.created_at\", \"desc(Message.created_at)\"",
                        )
                    })?);
                }
            }
            other => out.push(super::expression::coerce(other, None)?.expr),
        }
    }
    if let Selectable::Table(t) = target
        && Rc::ptr_eq(t, &rel.resolve()?.target.table)
    {
        return Ok(out);
    }
    let table = rel.resolve()?.target.table.clone();
    Ok(out
        .iter()
        .map(|e| {
            e.map_columns(&|c| match &c.from {
                Selectable::Table(t) if Rc::ptr_eq(t, &table) => {
                    Some(Expr::column(target, c.index))
                }
                _ => None,
            })
        })
        .collect())
}

/// `contains_eager(User.messages)` (also `.of_type(alias)` and chained):
/// the relationships below `mapper` that `options` fill from the query's
/// own joins. Their target columns (of the table, or of the `of_type()`
/// alias) go into `columns`, each target's own contains-eager children
/// before it, as SQLAlchemy orders them ahead of the entity's columns;
/// `base` is where `columns` will start in the row.
pub fn add_contains_eager(
    mapper: &Rc<Mapper>,
    options: &[Rc<LoaderOption>],
    parent: JoinedParent,
    base: usize,
    columns: &mut Vec<Expr>,
    joined: &mut Vec<JoinedEager>,
) -> PyResult<()> {
    let rels: Vec<Rc<Relationship>> = mapper.relationships.borrow().clone();
    for rel in rels {
        let Some(step) = options
            .iter()
            .filter(|o| o.targets(&rel.key, mapper))
            .filter_map(|o| o.path.first())
            .find(|s| s.strategy == Strategy::ContainsEager)
        else {
            continue;
        };
        let res = rel.resolve()?;
        let target = match &step.attr.of_type {
            Some(a) => a.clone(),
            None => Selectable::Table(res.target.table.clone()),
        };
        let below = child_options(options, mapper, &rel);
        let index = joined.len();
        joined.push(JoinedEager {
            parent,
            attr: step.attr.clone(),
            offset: 0,
            child_options: below.clone(),
            columns: None,
        });
        // A target with `column_property()`s: those first, then its own
        // contains-eager children, then its columns.
        let mut loaded = loaded_columns(&res.target, &below);
        let with_exprs = !loaded.exprs.is_empty();
        let mut list = if with_exprs {
            loaded.select_list(&res.target, &target)
        } else {
            Vec::new()
        };
        let exprs_at = base + columns.len();
        columns.extend(list.drain(..loaded.exprs.len().min(list.len())));
        let before_children = columns.len();
        add_contains_eager(
            &res.target,
            &below,
            JoinedParent::Joined(index),
            base,
            columns,
            joined,
        )?;
        if with_exprs {
            loaded.gap = columns.len() - before_children;
            joined[index].offset = exprs_at;
            joined[index].columns = Some(loaded);
            columns.extend(list);
        } else {
            joined[index].offset = base + columns.len();
            for i in 0..res.target.table.columns.len() {
                columns.push(Expr::column(&target, i));
            }
        }
    }
    Ok(())
}

/// One ORDER BY item of a relationship's string `order_by=`, as SQLAlchemy
/// evaluates it in the class registry: `"Message.created_at"`,
/// `"created_at"`, `"Message.created_at desc"`, `"desc(Message.created_at)"`,
/// `"Message.created_at.desc()"` (and `asc`); `None` when it names no
/// column of `target`.
fn order_by_text(text: &str, target: &super::mapper::Mapper) -> Option<Expr> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let (name, desc) = if let Some(inner) = lower.strip_prefix("desc(").and(text.get(5..)) {
        (inner.strip_suffix(')')?, true)
    } else if let Some(inner) = lower.strip_prefix("asc(").and(text.get(4..)) {
        (inner.strip_suffix(')')?, false)
    } else if let Some(n) = text.strip_suffix(".desc()") {
        (n, true)
    } else if let Some(n) = text.strip_suffix(".asc()") {
        (n, false)
    } else {
        match text.rsplit_once(' ') {
            Some((n, d)) if d.eq_ignore_ascii_case("desc") => (n.trim(), true),
            Some((n, d)) if d.eq_ignore_ascii_case("asc") => (n.trim(), false),
            _ => (text, false),
        }
    };
    let col = name.trim().rsplit('.').next().unwrap_or(name);
    let i = target.column(col)?;
    let e = Expr::column(&Selectable::Table(target.table.clone()), i);
    Some(if desc { Expr::Desc(Box::new(e)) } else { e })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorder_into_puts_values_in_loaded_order_and_reuses_text() {
        let row = vec![
            SqlValue::Integer(7),
            SqlValue::Integer(1),
            SqlValue::Text("hello".into()),
        ];
        let mut out = Vec::new();
        reorder_into(&mut out, &row, &[1, 0, 2, 9]);
        assert_eq!(
            out,
            vec![
                SqlValue::Integer(1),
                SqlValue::Integer(7),
                SqlValue::Text("hello".into()),
                SqlValue::Null,
            ]
        );
        // the next row refills the same slots (a shorter text included)
        let next = vec![
            SqlValue::Integer(8),
            SqlValue::Null,
            SqlValue::Text("hi".into()),
        ];
        reorder_into(&mut out, &next, &[1, 0, 2]);
        assert_eq!(
            out,
            vec![
                SqlValue::Null,
                SqlValue::Integer(8),
                SqlValue::Text("hi".into()),
            ]
        );
    }
}
