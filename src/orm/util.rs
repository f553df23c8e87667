//! `aliased()` and `with_parent()`, as SQLAlchemy's `orm/util.py`.

use std::rc::Rc;

use crate::python::{ExcType, PyErr, PyResult};
use crate::sql::elements::{Alias, Expr, Name, Operator, Selectable};

use super::mapper::Mapper;

/// `aliased(User)` / `aliased(User, name="u2")`: a mapped class seen through
/// `users AS users_1` (anonymous) or `users AS u2` (named), as SQLAlchemy
/// 2.0's `AliasedClass`; or `aliased(User, subq)` through a subquery of
/// `select(User)`. Its attributes (`u2.name`) render against the alias;
/// rows selected through it load ordinary `User` objects.
#[derive(Debug)]
pub struct AliasedClass {
    pub mapper: Rc<Mapper>,
    /// A table alias, a subquery whose columns are the table's in order, or
    /// a view of another subquery ([`crate::sql::elements::Subquery::adapts`]).
    pub alias: Selectable,
    /// The `name=` given with a subquery (`aliased(User, subq, name="u")`):
    /// the entity's key in rows; the subquery still renders as itself.
    pub name: Option<Rc<str>>,
}

impl AliasedClass {
    /// An alias of `mapper`'s table, named `name` or anonymous (numbered
    /// `users_1`, `users_2` per compiled statement).
    pub fn new(mapper: Rc<Mapper>, name: Option<String>) -> AliasedClass {
        let alias = Selectable::Alias(table_alias(&mapper.table, name));
        AliasedClass {
            mapper,
            alias,
            name: None,
        }
    }

    /// The alias as a FROM object.
    pub fn selectable(&self) -> Selectable {
        self.alias.clone()
    }

    /// The table alias, when it is one (not a subquery).
    pub fn table_alias(&self) -> Option<Rc<Alias>> {
        match &self.alias {
            Selectable::Alias(a) => Some(a.clone()),
            _ => None,
        }
    }
}

/// `table.alias(name)` / `aliased(table, name)`: `table AS name`, or
/// `table AS table_1` when `name` is `None` (SQLAlchemy's `Alias`).
pub fn table_alias(table: &crate::sql::schema::TableRef, name: Option<String>) -> Rc<Alias> {
    Rc::new(Alias {
        table: table.clone(),
        name: match name {
            Some(n) => Name::Fixed(n),
            None => Name::Anon(table.name.clone()),
        },
    })
}

/// `with_parent(instance, User.messages)`: the criterion that selects the
/// objects `instance` relates to through the relationship, as the lazy
/// loader writes it (SQLAlchemy 2.0 `with_parent()`): `? = messages.user_id`
/// for a one-to-many, `users.id = ?` for a many-to-one, and for a
/// many-to-many `? = user_groups_1.user_id AND groups.id =
/// user_groups_1.group_id` over an alias of the secondary table. The
/// parent's column values are read (loading them if expired) now.
///
/// Errors: `ArgumentError` for a column attribute or an instance of
/// another class.
pub fn with_parent(obj: &super::state::Obj, attr: &super::mapper::AttrRef) -> PyResult<Expr> {
    use super::mapper::{AttrKind, Direction};
    let AttrKind::Relationship(rel) = &attr.kind else {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Expected relationship property for with_parent(), got {}",
                attr.qualified_name()
            ),
        ));
    };
    let parent_mapper = obj.borrow().mapper.clone();
    if !Rc::ptr_eq(&parent_mapper, &attr.mapper) {
        return Err(PyErr::unsupported(format!(
            "with_parent() of a {} through {}",
            parent_mapper.class_name,
            attr.qualified_name()
        )));
    }
    let res = rel.resolve()?;
    let target = match &attr.of_type {
        Some(a) => a.clone(),
        None => Selectable::Table(res.target.table.clone()),
    };
    let bind = |col: usize, ty_table: &crate::sql::schema::TableRef, ty_col: usize| {
        let key = parent_mapper
            .column_key(col)
            .unwrap_or_default()
            .to_string();
        let ty = ty_table.columns.get(ty_col).map(|c| c.sql_type.clone());
        super::expression::object_attribute_bind(
            obj,
            &key,
            super::expression::column_name(&parent_mapper.table, col),
            ty.as_ref(),
            Some("param"),
        )
    };
    let mut clauses = Vec::new();
    match res.direction {
        Direction::OneToMany => {
            for (p, t) in &res.pairs {
                let b = bind(*p, &res.target.table, *t)?;
                let col = Expr::column(&target, *t);
                clauses.push(match res.parent_first(*p, *t) {
                    Some(false) => Expr::binary(col, Operator::Eq, b),
                    _ => Expr::binary(b, Operator::Eq, col),
                });
            }
        }
        Direction::ManyToOne => {
            for (p, t) in &res.pairs {
                let b = bind(*p, &res.target.table, *t)?;
                let col = Expr::column(&target, *t);
                clauses.push(match res.parent_first(*p, *t) {
                    Some(true) => Expr::binary(b, Operator::Eq, col),
                    _ => Expr::binary(col, Operator::Eq, b),
                });
            }
        }
        Direction::ManyToMany => {
            let Some((sec, _)) = &res.secondary else {
                return Err(PyErr::unsupported("with_parent() of this relationship"));
            };
            let sec_sel = Selectable::Alias(table_alias(sec, None));
            let failed = std::cell::RefCell::new(None);
            let parent_table = parent_mapper.table.clone();
            let pair = res.secondary_clauses(
                &|c| match bind(c, &parent_table, c) {
                    Ok(b) => b,
                    Err(e) => {
                        failed.borrow_mut().get_or_insert(e);
                        Expr::Null
                    }
                },
                &sec_sel,
                &target,
            );
            if let Some(e) = failed.into_inner() {
                return Err(e);
            }
            if let Some((p, s)) = pair {
                clauses.push(p);
                clauses.push(s);
            }
        }
    }
    // A `primaryjoin=`'s other criteria, the parent's columns bound.
    let parent_table = parent_mapper.table.clone();
    clauses.extend(
        res.extra_clause(&parent_table, &|c| bind(c, &parent_table, c), &|c| {
            Ok(Expr::column(&target, c))
        })?,
    );
    Ok(Expr::and(clauses))
}

/// `Bundle(name, *exprs, single_entity=False)` (SQLAlchemy 2.0's
/// `sqlalchemy.orm.Bundle`): column expressions grouped under one name.
/// Selected as its columns, in order; each result row holds one `Row` of
/// their values under `name` (`row.user.name`), keyed by each column's
/// key. With `single_entity`, a legacy `Query` of this one bundle returns
/// the bundle rows themselves.
#[derive(Debug)]
pub struct Bundle {
    pub name: String,
    pub exprs: Vec<super::expression::SqlExpr>,
    pub single_entity: bool,
}

impl Bundle {
    /// Each column's key, as the bundle's rows and `Bundle.c` name them
    /// (a column's own key, else [`super::query::expr_key`]).
    pub fn keys(&self) -> Vec<String> {
        self.exprs
            .iter()
            .map(|c| {
                c.key
                    .clone()
                    .unwrap_or_else(|| super::query::expr_key(&c.expr))
            })
            .collect()
    }
}
