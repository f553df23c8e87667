//! Loader options (SQLAlchemy's `orm/strategy_options.py`): `joinedload`,
//! `selectinload`, `subqueryload`, `lazyload`, `raiseload`, `noload`, chained
//! along a path of relationships, and which strategy applies to a
//! relationship.

use std::rc::Rc;

use super::mapper::{AttrKind, AttrRef, Lazy, Mapper, Relationship};

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
pub fn strategy_for(
    options: &[Rc<LoaderOption>],
    mapper: &Rc<Mapper>,
    rel: &Relationship,
) -> Strategy {
    for o in options {
        if o.targets(&rel.key, mapper)
            && let Some((s, _)) = o.path.first()
        {
            return *s;
        }
    }
    Strategy::from_lazy(rel.decl.lazy)
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
        .collect()
}
