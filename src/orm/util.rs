//! `aliased()` and `with_parent()`, as SQLAlchemy's `orm/util.py`.

use std::rc::Rc;

use crate::sql::elements::{Alias, Name, Selectable};

use super::mapper::Mapper;

/// `aliased(User)` / `aliased(User, name="u2")`: a mapped class seen through
/// `users AS users_1` (anonymous) or `users AS u2` (named), as SQLAlchemy
/// 2.0's `AliasedClass`. Its attributes (`u2.name`) render against the
/// alias; rows selected through it load ordinary `User` objects.
#[derive(Debug)]
pub struct AliasedClass {
    pub mapper: Rc<Mapper>,
    pub alias: Rc<Alias>,
}

impl AliasedClass {
    /// An alias of `mapper`'s table, named `name` or anonymous (numbered
    /// `users_1`, `users_2` per compiled statement).
    pub fn new(mapper: Rc<Mapper>, name: Option<String>) -> AliasedClass {
        let alias = table_alias(&mapper.table, name);
        AliasedClass { mapper, alias }
    }

    /// The alias as a FROM object.
    pub fn selectable(&self) -> Selectable {
        Selectable::Alias(self.alias.clone())
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
