//! Mapped classes: the declarative registry (`Base`), each class's `Mapper`
//! (table, column attributes, relationships) and the resolution of a
//! relationship's direction and join columns from foreign keys, as
//! SQLAlchemy's `configure_mappers()` does.

use std::cell::{OnceCell, RefCell};
use std::rc::{Rc, Weak};

use crate::python::exceptions::{PyErr, PyResult, invalid_request};
use crate::python::value::{Function, Value};
use crate::sql::schema::TableRef;

use super::schema_items::RelationshipDecl;
use crate::python::ExcType;

/// `relationship(lazy=...)`: the default loader strategy of a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lazy {
    /// `"select"`: lazy load on first access (the default).
    Select,
    Joined,
    Selectin,
    Subquery,
    Raise,
    Noload,
    /// `"dynamic"` / `DynamicMapped[...]`: an `AppenderQuery`
    /// (`orm::dynamic`).
    Dynamic,
    /// `"write_only"` / `WriteOnlyMapped[...]`: a `WriteOnlyCollection`
    /// (`orm::dynamic`).
    WriteOnly,
}

impl Lazy {
    pub fn parse(s: &str) -> Option<Lazy> {
        Some(match s {
            "select" | "True" => Lazy::Select,
            "joined" | "False" => Lazy::Joined,
            "selectin" => Lazy::Selectin,
            "subquery" => Lazy::Subquery,
            "raise" | "raise_on_sql" => Lazy::Raise,
            "noload" => Lazy::Noload,
            "dynamic" => Lazy::Dynamic,
            "write_only" => Lazy::WriteOnly,
            _ => return None,
        })
    }
}

/// `cascade=`: which session operations follow the relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cascade {
    pub save_update: bool,
    pub merge: bool,
    pub delete: bool,
    pub delete_orphan: bool,
    pub expunge: bool,
    pub refresh_expire: bool,
}

impl Default for Cascade {
    /// SQLAlchemy's default, `"save-update, merge"`.
    fn default() -> Cascade {
        Cascade {
            save_update: true,
            merge: true,
            delete: false,
            delete_orphan: false,
            expunge: false,
            refresh_expire: false,
        }
    }
}

impl Cascade {
    /// Parses `"all, delete-orphan"` and the like.
    pub fn parse(text: &str) -> Result<Cascade, String> {
        let mut c = Cascade {
            save_update: false,
            merge: false,
            delete: false,
            delete_orphan: false,
            expunge: false,
            refresh_expire: false,
        };
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "all" => {
                    c.save_update = true;
                    c.merge = true;
                    c.delete = true;
                    c.expunge = true;
                    c.refresh_expire = true;
                }
                "save-update" => c.save_update = true,
                "merge" => c.merge = true,
                "delete" => c.delete = true,
                "delete-orphan" => c.delete_orphan = true,
                "expunge" => c.expunge = true,
                "refresh-expire" => c.refresh_expire = true,
                "none" => {}
                other => return Err(format!("Invalid cascade option(s): '{other}'")),
            }
        }
        Ok(c)
    }
}

/// Which way a relationship points (SQLAlchemy's `RelationshipDirection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    OneToMany,
    ManyToOne,
    ManyToMany,
}

/// The join columns of a resolved relationship.
#[derive(Debug)]
pub struct Resolved {
    pub target: Rc<Mapper>,
    pub direction: Direction,
    pub uselist: bool,
    /// Without `secondary`: (parent-table column, target-table column) pairs
    /// that must be equal, e.g. (users.id, messages.user_id) for
    /// `User.messages`, (messages.user_id, users.id) for `Message.user`.
    /// With `secondary`: (parent-table column, secondary column) pairs.
    pub pairs: Vec<(usize, usize)>,
    /// With `secondary`: the table and (target-table column, secondary
    /// column) pairs.
    pub secondary: Option<(TableRef, Vec<(usize, usize)>)>,
    /// What a `primaryjoin=` adds to the foreign-key equalities in `pairs`
    /// (`addresses.email LIKE ?`), against the parent's and the target's
    /// tables: ANDed into lazy loads and joins.
    pub extra: Option<crate::sql::elements::Expr>,
    /// With `secondary`: the join conditions, as `primaryjoin=` and
    /// `secondaryjoin=` give them or as SQLAlchemy makes them from the
    /// foreign keys (`users.id = user_groups.user_id`, `groups.id =
    /// user_groups.group_id`), against the parent's, the secondary and the
    /// target's tables (see [`Resolved::secondary_clauses`]).
    pub secondary_joins: Option<(crate::sql::elements::Expr, crate::sql::elements::Expr)>,
    /// A self-referential relationship whose `primaryjoin=` marks the
    /// target's columns with `remote()` (or names them in `remote_side=`):
    /// the whole primaryjoin, so annotated. Its remote columns are the
    /// target's, the others the parent's, as SQLAlchemy's `JoinCondition`
    /// reads them (`_annotate_remote`, `local_remote_pairs`).
    pub remote_join: Option<crate::sql::elements::Expr>,
}

impl Resolved {
    /// A many-to-many's primaryjoin and secondaryjoin (in that order),
    /// adapted: the secondary table's columns become columns of `sec`, the
    /// primaryjoin's other columns (the parent's) what `parent` gives for
    /// their column index, the secondaryjoin's other columns (the
    /// target's) columns of `target`; as SQLAlchemy's `ClauseAdapter`
    /// adapts them for a lazy load, a join or an eager load. `None` for a
    /// relationship without `secondary`.
    pub fn secondary_clauses(
        &self,
        parent: &dyn Fn(usize) -> crate::sql::elements::Expr,
        sec: &crate::sql::elements::Selectable,
        target: &crate::sql::elements::Selectable,
    ) -> Option<(crate::sql::elements::Expr, crate::sql::elements::Expr)> {
        use crate::sql::elements::{Expr, Selectable};
        let (sec_table, _) = self.secondary.as_ref()?;
        let (primary, secondary) = self.secondary_joins.as_ref()?;
        let is_sec = |c: &crate::sql::elements::ColumnRef| matches!(&c.from, Selectable::Table(t) if Rc::ptr_eq(t, sec_table));
        let p = primary.map_columns(&|c| {
            Some(if is_sec(c) {
                Expr::column(sec, c.index)
            } else {
                parent(c.index)
            })
        });
        let s = secondary.map_columns(&|c| {
            Some(if is_sec(c) {
                Expr::column(sec, c.index)
            } else {
                Expr::column(target, c.index)
            })
        });
        Some((p, s))
    }

    /// The column equalities of [`Resolved::remote_join`] as written, each
    /// side a (column index, marked `remote`) pair: `nodes.parent_id =
    /// remote(nodes.id)` is `((parent_id, false), (id, true))`. Empty
    /// without `remote()` marks.
    pub fn remote_pairs(&self) -> Vec<((usize, bool), (usize, bool))> {
        use crate::sql::elements::{BoolOp, Expr, Operator};
        let Some(join) = &self.remote_join else {
            return Vec::new();
        };
        let conjuncts = match join {
            Expr::BoolList {
                op: BoolOp::And,
                clauses,
            } => clauses.as_slice(),
            other => std::slice::from_ref(other),
        };
        let mut out = Vec::new();
        for c in conjuncts {
            if let Expr::Binary {
                left,
                op: Operator::Eq,
                right,
            } = c
                && let (Expr::Column(a), Expr::Column(b)) = (&**left, &**right)
                && a.annotations.remote != b.annotations.remote
            {
                out.push((
                    (a.index, a.annotations.remote),
                    (b.index, b.annotations.remote),
                ));
            }
        }
        out
    }

    /// Whether the primaryjoin writes the pair's parent column `p` before
    /// its target column `t` (`nodes.parent_id = remote(nodes.id)`: the
    /// lazy clause `? = nodes.id`, the join `nodes.parent_id =
    /// nodes_1.id`, as SQLAlchemy renders the primaryjoin as written);
    /// `None` without `remote()` marks.
    pub fn parent_first(&self, p: usize, t: usize) -> Option<bool> {
        self.remote_pairs().iter().find_map(|(a, b)| {
            if *a == (p, false) && *b == (t, true) {
                Some(true)
            } else if *a == (t, true) && *b == (p, false) {
                Some(false)
            } else {
                None
            }
        })
    }

    /// A `primaryjoin=`'s other criteria (`addresses.email LIKE ?`) adapted
    /// as SQLAlchemy's `ClauseAdapter` adapts them for a lazy load, a join,
    /// an eager load or `any()`/`has()`: a column of `parent_table` becomes
    /// what `parent` gives for its index (a column of an alias, or the
    /// object's value bound), a column of the target's table what `target`
    /// gives (a self-referential relationship's columns are the target's).
    /// `Ok(None)` for a relationship without such criteria.
    ///
    /// Errors: the first error `parent` or `target` gave.
    pub fn extra_clause(
        &self,
        parent_table: &TableRef,
        parent: &dyn Fn(usize) -> PyResult<crate::sql::elements::Expr>,
        target: &dyn Fn(usize) -> PyResult<crate::sql::elements::Expr>,
    ) -> PyResult<Option<crate::sql::elements::Expr>> {
        use crate::sql::elements::Selectable;
        let Some(extra) = self.extra.as_ref() else {
            return Ok(None);
        };
        let failed = RefCell::new(None);
        let adapted = extra.map_columns(&|c| {
            let Selectable::Table(t) = &c.from else {
                return None;
            };
            // A self-referential primaryjoin with `remote()` marks: its
            // unmarked columns are the parent's.
            let remote_marked = self.remote_join.is_none() || c.annotations.remote;
            let out = if Rc::ptr_eq(t, &self.target.table) && remote_marked {
                target(c.index)
            } else if Rc::ptr_eq(t, parent_table) {
                parent(c.index)
            } else {
                return None;
            };
            out.map_err(|e| {
                failed.borrow_mut().get_or_insert(e);
            })
            .ok()
        });
        match failed.into_inner() {
            Some(e) => Err(e),
            None => Ok(Some(adapted)),
        }
    }
}

/// What a relationship's lazy-load SELECT depends on besides the
/// relationship itself: the dialect, the target columns loaded, whether it
/// goes by the target's primary key (`pk_1`) or the lazy clause
/// (`param_1`), and the kind of each bound value. Statements of the same
/// shape differ only in their parameter values.
#[derive(Debug, Clone)]
pub struct LazyShape {
    pub dialect: &'static crate::sql::dialect::Dialect,
    pub cols: Vec<usize>,
    pub by_pk: bool,
    pub binds: Vec<std::mem::Discriminant<crate::sql::schema::SqlValue>>,
}

impl PartialEq for LazyShape {
    fn eq(&self, other: &LazyShape) -> bool {
        std::ptr::eq(self.dialect, other.dialect)
            && self.cols == other.cols
            && self.by_pk == other.by_pk
            && self.binds == other.binds
    }
}

/// The most lazy-load shapes a relationship remembers.
const LAZY_SQL_SHAPES: usize = 8;

/// One `relationship()` of a mapper.
#[derive(Debug)]
pub struct Relationship {
    pub key: String,
    /// `key` interned ([`super::state::intern`]), as an object's dict
    /// holds it: found there by pointer ([`super::state::AttrDict::get_interned`]).
    pub interned_key: Rc<str>,
    pub parent: Weak<Mapper>,
    pub decl: RelationshipDecl,
    resolved: OnceCell<Rc<Resolved>>,
    /// `primaryjoin=` evaluated (a string in the class registry, a lambda
    /// called), set by the interpreter once the names it uses exist; or
    /// what evaluating it raised, raised when the relationship is resolved.
    pub primaryjoin: RefCell<Option<PyResult<crate::sql::elements::Expr>>>,
    /// `secondaryjoin=` evaluated, as `primaryjoin`.
    pub secondaryjoin: RefCell<Option<PyResult<crate::sql::elements::Expr>>>,
    /// `order_by=lambda: ...` called, set by the interpreter as
    /// `primaryjoin`.
    pub order_by_evaluated: RefCell<Option<Value>>,
    /// Compiled lazy-load SELECTs by shape (see [`Relationship::lazy_sql`]).
    lazy_sql: RefCell<Vec<(LazyShape, Rc<crate::sql::compiler::Compiled>)>>,
}

impl Relationship {
    pub fn new(key: String, parent: Weak<Mapper>, decl: RelationshipDecl) -> Relationship {
        Relationship {
            interned_key: super::state::intern(&key),
            key,
            parent,
            decl,
            resolved: OnceCell::new(),
            primaryjoin: RefCell::new(None),
            secondaryjoin: RefCell::new(None),
            order_by_evaluated: RefCell::new(None),
            lazy_sql: RefCell::new(Vec::new()),
        }
    }

    /// The lazy-load statement compiled earlier for `shape`, with `binds`
    /// (in render order) as its parameter values: the SQL text is the one
    /// the compiler gave, only the values change. SQLAlchemy caches the
    /// lazy loader's compiled statement the same way (its lambda cache), so
    /// an N+1 loop compiles once per relationship and dialect.
    pub fn lazy_sql(
        &self,
        shape: &LazyShape,
        binds: &[crate::sql::schema::SqlValue],
    ) -> Option<crate::sql::compiler::Compiled> {
        let cache = self.lazy_sql.borrow();
        let (_, compiled) = cache.iter().find(|(s, _)| s == shape)?;
        if compiled.params.len() != binds.len() {
            return None;
        }
        let mut out = crate::sql::compiler::Compiled::clone(compiled);
        for (p, v) in out.params.iter_mut().zip(binds) {
            p.value = v.clone();
        }
        Some(out)
    }

    /// Remembers `compiled` as the lazy-load statement of `shape`, when its
    /// parameters are exactly `binds` in order (so that
    /// [`Relationship::lazy_sql`] can refill them); anything else (an
    /// `order_by=` with its own bound values) is compiled each time.
    pub fn store_lazy_sql(
        &self,
        shape: LazyShape,
        binds: &[crate::sql::schema::SqlValue],
        compiled: &crate::sql::compiler::Compiled,
    ) {
        let same = compiled.params.len() == binds.len()
            && compiled
                .params
                .iter()
                .zip(binds)
                .all(|(p, v)| &p.value == v);
        let mut cache = self.lazy_sql.borrow_mut();
        if !same || cache.len() >= LAZY_SQL_SHAPES || cache.iter().any(|(s, _)| *s == shape) {
            return;
        }
        cache.push((shape, Rc::new(compiled.clone())));
    }

    pub fn parent(&self) -> PyResult<Rc<Mapper>> {
        self.parent
            .upgrade()
            .ok_or_else(|| invalid_request("mapper is gone"))
    }

    /// `User.messages`
    pub fn qualified_name(&self) -> String {
        match self.parent.upgrade() {
            Some(p) => format!("{}.{}", p.class_name, self.key),
            None => self.key.clone(),
        }
    }

    /// The name of the relationship on the other side, from
    /// `back_populates` or `backref`.
    pub fn reverse_key(&self) -> Option<String> {
        self.decl
            .back_populates
            .clone()
            .or_else(|| self.decl.backref.clone())
    }

    /// Direction, target and join columns, worked out once from the
    /// foreign keys between the tables (SQLAlchemy's `_determine_joins`).
    pub fn resolve(&self) -> PyResult<Rc<Resolved>> {
        if let Some(r) = self.resolved.get() {
            return Ok(r.clone());
        }
        let parent = self.parent()?;
        let registry = parent.registry()?;
        let target = registry.mapper(&self.decl.target).ok_or_else(|| {
            invalid_request(format!(
                "When initializing mapper Mapper[{}({})], expression '{}' failed to locate a name ('{}'). If this is a class name, consider adding this relationship() to the <class '__main__.{}'> class after both dependent classes have been defined.",
                parent.class_name, parent.table.name, self.decl.target, self.decl.target, parent.class_name
            ))
        })?;
        if self.decl.secondary.is_none() && self.decl.secondaryjoin.is_some() {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "Property {} specified with secondary join condition but no secondary argument",
                    self.qualified_name()
                ),
            ));
        }
        let resolved = if let Some(sec_name) = &self.decl.secondary {
            let sec = registry.table(sec_name).ok_or_else(|| {
                invalid_request(format!(
                    "When initializing mapper Mapper[{}({})], expression '{}' failed to locate a name ('{}').",
                    parent.class_name, parent.table.name, sec_name, sec_name
                ))
            })?;
            let explicit_p =
                self.join_expr(self.decl.primaryjoin.as_ref(), &self.primaryjoin, &parent)?;
            let explicit_s = self.join_expr(
                self.decl.secondaryjoin.as_ref(),
                &self.secondaryjoin,
                &parent,
            )?;
            let pairs = match &explicit_p {
                Some(e) => secondary_pairs(e, &sec),
                None => fk_pairs(&parent.table, &sec),
            };
            let target_pairs = match &explicit_s {
                Some(e) => secondary_pairs(e, &sec),
                None => fk_pairs(&target.table, &sec),
            };
            if pairs.is_empty() || target_pairs.is_empty() {
                return Err(no_foreign_keys(&self.qualified_name()));
            }
            let parent_sel = crate::sql::elements::Selectable::Table(parent.table.clone());
            let target_sel = crate::sql::elements::Selectable::Table(target.table.clone());
            let sec_sel = crate::sql::elements::Selectable::Table(sec.clone());
            let primary = explicit_p
                .unwrap_or_else(|| crate::orm::query::equal_pairs(&parent_sel, &sec_sel, &pairs));
            let secondary = explicit_s.unwrap_or_else(|| {
                crate::orm::query::equal_pairs(&target_sel, &sec_sel, &target_pairs)
            });
            Resolved {
                target: target.clone(),
                direction: Direction::ManyToMany,
                uselist: self.decl.uselist.unwrap_or(true),
                pairs,
                secondary: Some((sec, target_pairs)),
                extra: None,
                secondary_joins: Some((primary, secondary)),
                remote_join: None,
            }
        } else {
            self.resolve_direct(&registry, &parent, target)?
        };
        let rc = Rc::new(resolved);
        let _ = self.resolved.set(rc.clone());
        Ok(rc)
    }
}

impl Relationship {
    /// `back_populates="name"` must name a relationship of the target
    /// class, as SQLAlchemy 2.0's `RelationshipProperty._setup_registry_dependencies`
    /// / `_add_reverse_property` check at configure time.
    ///
    /// Errors: `InvalidRequestError` "Mapper 'Mapper[Post(posts)]' has no
    /// property 'author'. …" when the target has no attribute of that name,
    /// and "back_populates on relationship 'W.a' refers to attribute 'A.w_id'
    /// that is not a relationship. …" when it names a column.
    pub fn check_back_populates(&self, target: &Mapper) -> PyResult<()> {
        let Some(name) = &self.decl.back_populates else {
            return Ok(());
        };
        if target.relationship(name).is_some() {
            return Ok(());
        }
        if target.column(name).is_some() {
            return Err(invalid_request(format!(
                "back_populates on relationship '{}' refers to attribute '{}.{name}' that is not a relationship.  The back_populates parameter should refer to the name of a relationship on the target class.",
                self.qualified_name(),
                target.class_name
            )));
        }
        Err(invalid_request(format!(
            "Mapper 'Mapper[{}({})]' has no property '{name}'.  If this property was indicated from other mappers or configure events, ensure registry.configure() has been called.",
            target.class_name, target.table.name
        )))
    }

    /// `(table, column)` names of the columns in `foreign_keys=` or
    /// `remote_side=` (`refs`), through the registry's mappers.
    fn column_names(
        registry: &Registry,
        refs: &[super::schema_items::ColumnRef],
    ) -> Vec<(String, String)> {
        refs.iter()
            .filter_map(|r| match r {
                super::schema_items::ColumnRef::Named { class, key } => {
                    let m = registry.mapper(class)?;
                    let i = m.column(key)?;
                    Some((m.table.name.clone(), m.table.columns[i].name.clone()))
                }
                super::schema_items::ColumnRef::Declared(_) => None,
            })
            .collect()
    }

    /// A relationship without `secondary`, as SQLAlchemy's
    /// `JoinCondition`: the foreign keys between the two tables (only
    /// those `foreign_keys=` names, when given) make it one-to-many (on the
    /// target, pointing at the parent) or many-to-one; a self-referential
    /// one is one-to-many unless `remote_side=` names the referenced
    /// column.
    ///
    /// Errors: `AmbiguousForeignKeysError` when more than one foreign key
    /// links the tables, `NoForeignKeysError` when none does.
    fn resolve_direct(
        &self,
        registry: &Registry,
        parent: &Rc<Mapper>,
        target: Rc<Mapper>,
    ) -> PyResult<Resolved> {
        let only = Self::column_names(registry, &self.decl.foreign_keys);
        // `primaryjoin=`: its equalities of a parent and a target column
        // pick the foreign keys; its other criteria are kept as `extra`.
        let (joined, extra, remote_join) = self.primaryjoin_parts(registry, parent, &target)?;
        let counted = |table: &TableRef, (referenced, fk): &(usize, usize)| {
            let named = only.is_empty()
                || only.contains(&(table.name.clone(), table.columns[*fk].name.clone()));
            let in_join = joined.as_ref().is_none_or(|j| {
                let fk_col = (table.name.clone(), *fk);
                j.iter().any(|(a, b)| {
                    ((a.0.clone(), a.1) == fk_col && b.1 == *referenced)
                        || ((b.0.clone(), b.1) == fk_col && a.1 == *referenced)
                })
            });
            named && in_join
        };
        let mut to_parent = fk_pairs(&parent.table, &target.table);
        to_parent.retain(|p| counted(&target.table, p));
        let mut to_target = fk_pairs(&target.table, &parent.table);
        to_target.retain(|p| counted(&parent.table, p));
        let self_referential = Rc::ptr_eq(&parent.table, &target.table);
        let paths = to_parent.len() + if self_referential { 0 } else { to_target.len() };
        if paths > 1 {
            return Err(PyErr::new(
                ExcType::AmbiguousForeignKeysError,
                format!(
                    "Could not determine join condition between parent/child tables on relationship {} - there are multiple foreign key paths linking the tables.  Specify the 'foreign_keys' argument, providing a list of those columns which should be counted as containing a foreign key reference to the parent table.",
                    self.qualified_name()
                ),
            ));
        }
        let many_to_one = if self_referential {
            // `remote_side=[id]`: the referenced column is remote.
            // A `remote()` mark in the primaryjoin on the referenced
            // column makes it many-to-one too (`_determine_direction`).
            let remote = Self::column_names(registry, &self.decl.remote_side);
            let marked = |i: usize| {
                joined.as_ref().is_some_and(|j| {
                    j.iter()
                        .any(|(a, b)| (a.1 == i && a.2) || (b.1 == i && b.2))
                })
            };
            to_target.iter().any(|(referenced, _)| {
                marked(*referenced)
                    || remote.contains(&(
                        parent.table.name.clone(),
                        parent.table.columns[*referenced].name.clone(),
                    ))
            })
        } else {
            to_parent.is_empty()
        };
        if !many_to_one && !to_parent.is_empty() {
            return Ok(Resolved {
                target,
                direction: Direction::OneToMany,
                uselist: self.decl.uselist.unwrap_or(true),
                pairs: to_parent,
                secondary: None,
                extra,
                secondary_joins: None,
                remote_join,
            });
        }
        if to_target.is_empty() {
            return Err(no_foreign_keys(&self.qualified_name()));
        }
        // (parent fk column, target referenced column)
        Ok(Resolved {
            target,
            direction: Direction::ManyToOne,
            uselist: self.decl.uselist.unwrap_or(false),
            pairs: to_target.into_iter().map(|(t, p)| (p, t)).collect(),
            secondary: None,
            extra,
            secondary_joins: None,
            remote_join,
        })
    }
}

impl Relationship {
    /// A `primaryjoin=` split in two: the (table name, column, remote)
    /// equalities between the parent's and the target's tables, or on a
    /// self-referential relationship between a column and a `remote()` one
    /// (`None` without a `primaryjoin=`), and the AND of its other
    /// criteria; third, on a self-referential relationship whose
    /// primaryjoin marks remote columns (`remote()`, or those
    /// `remote_side=` names, as SQLAlchemy's `_annotate_remote` marks
    /// them), the whole primaryjoin so marked.
    ///
    /// Errors: what evaluating it raised; `InvalidRequestError` when it
    /// could not be evaluated yet; `ArgumentError` for a value that is not
    /// a SQL expression.
    #[allow(clippy::type_complexity)]
    fn primaryjoin_parts(
        &self,
        registry: &Registry,
        parent: &Mapper,
        target: &Mapper,
    ) -> PyResult<(
        Option<Vec<((String, usize, bool), (String, usize, bool))>>,
        Option<crate::sql::elements::Expr>,
        Option<crate::sql::elements::Expr>,
    )> {
        use crate::sql::elements::{BoolOp, Expr, Operator, Selectable};
        let Some(raw) = &self.decl.primaryjoin else {
            return Ok((None, None, None));
        };
        let Some(mut expr) = self.join_expr(Some(raw), &self.primaryjoin, parent)? else {
            return Ok((None, None, None));
        };
        let self_referential = Rc::ptr_eq(&parent.table, &target.table);
        let mut remote_join = None;
        if self_referential {
            let remote = Self::column_names(registry, &self.decl.remote_side);
            let table = parent.table.clone();
            expr = expr.map_columns_deep(&|c| match &c.from {
                Selectable::Table(t)
                    if Rc::ptr_eq(t, &table)
                        && t.columns.get(c.index).is_some_and(|col| {
                            remote.contains(&(t.name.clone(), col.name.clone()))
                        }) =>
                {
                    let mut c = c.clone();
                    c.annotations.remote = true;
                    Some(Expr::Column(c))
                }
                _ => None,
            });
            let marked = std::cell::Cell::new(false);
            expr.map_columns_deep(&|c| {
                marked.set(marked.get() || c.annotations.remote);
                None
            });
            if !marked.get() && self.decl.remote_side.is_empty() {
                // Neither `remote()` nor `remote_side=`: SQLAlchemy takes
                // the foreign columns as remote (one-to-many).
                let only = Self::column_names(registry, &self.decl.foreign_keys);
                let (annotated, non_simple) = annotate_selfref(&expr, &table, &only);
                if non_simple {
                    crate::python::warnings::warn(
                        "SAWarning",
                        format!(
                            "Non-simple column elements in primary join condition for property {} - consider using remote() annotations to mark the remote side.",
                            self.qualified_name()
                        ),
                    );
                }
                expr = annotated;
                expr.map_columns_deep(&|c| {
                    marked.set(marked.get() || c.annotations.remote);
                    None
                });
            }
            if marked.get() {
                remote_join = Some(expr.clone());
            }
        }
        let conjuncts = match expr {
            Expr::BoolList {
                op: BoolOp::And,
                clauses,
            } => clauses,
            other => vec![other],
        };
        let table_col = |e: &Expr| match e {
            Expr::Column(c) => match &c.from {
                Selectable::Table(t)
                    if Rc::ptr_eq(t, &parent.table) || Rc::ptr_eq(t, &target.table) =>
                {
                    Some((t.name.clone(), c.index, c.annotations.remote))
                }
                _ => None,
            },
            _ => None,
        };
        let mut joined = Vec::new();
        let mut rest = Vec::new();
        for c in conjuncts {
            if let Expr::Binary {
                left,
                op: Operator::Eq,
                right,
            } = &c
                && let (Some(a), Some(b)) = (table_col(left), table_col(right))
                && (a.0 != b.0 || (remote_join.is_some() && a.2 != b.2))
            {
                joined.push((a, b));
                continue;
            }
            rest.push(c);
        }
        let extra = match rest.len() {
            0 => None,
            1 => rest.pop(),
            _ => Some(Expr::and(rest)),
        };
        // Marked columns become the object's values or an alias's: a
        // value compared with one keeps the column's name (`:name_1`).
        let extra = match &remote_join {
            Some(_) => extra.map(|e| super::expression::name_binds(&e)),
            None => extra,
        };
        Ok((Some(joined), extra, remote_join))
    }
}

impl Relationship {
    /// A `primaryjoin=` / `secondaryjoin=` (`raw`, evaluated into `cell`
    /// by the interpreter when it is a string or a lambda) as a SQL
    /// expression; `None` when not given.
    ///
    /// Errors: what evaluating it raised; `InvalidRequestError` when it
    /// could not be evaluated yet.
    fn join_expr(
        &self,
        raw: Option<&Value>,
        cell: &RefCell<Option<PyResult<crate::sql::elements::Expr>>>,
        parent: &Mapper,
    ) -> PyResult<Option<crate::sql::elements::Expr>> {
        let Some(raw) = raw else {
            return Ok(None);
        };
        match &*cell.borrow() {
            Some(Ok(e)) => return Ok(Some(e.clone())),
            Some(Err(e)) => return Err(e.clone()),
            None => {}
        }
        match raw.downcast::<super::expression::SqlExpr>() {
            Some(e) => Ok(Some(e.expr.clone())),
            None => Err(invalid_request(format!(
                "When initializing mapper Mapper[{}({})], expression {} could not be evaluated for relationship {}",
                parent.class_name,
                parent.table.name,
                crate::python::format::repr_plain(raw),
                self.qualified_name()
            ))),
        }
    }
}

/// A self-referential primaryjoin with no `remote()` marks annotated as
/// SQLAlchemy's `JoinCondition._annotate_selfref` does: in each comparison
/// of two columns of `table`, the foreign one (marked `foreign()`, named in
/// `foreign_keys=` (`only`, as (table, column) names), else the one whose
/// foreign key references the other) becomes `remote()`. Second, whether a
/// comparison involved something other than two columns (SQLAlchemy's
/// "Non-simple column elements" warning).
fn annotate_selfref(
    expr: &crate::sql::elements::Expr,
    table: &TableRef,
    only: &[(String, String)],
) -> (crate::sql::elements::Expr, bool) {
    use crate::sql::elements::{ColumnRef, Expr, Selectable};
    let any_foreign = std::cell::Cell::new(false);
    expr.map_columns_deep(&|c| {
        any_foreign.set(any_foreign.get() || c.annotations.foreign);
        None
    });
    let of_table = |c: &ColumnRef| matches!(&c.from, Selectable::Table(t) if Rc::ptr_eq(t, table));
    let foreign = |c: &ColumnRef, other: &ColumnRef| {
        if any_foreign.get() {
            return c.annotations.foreign;
        }
        let Some(col) = table.columns.get(c.index) else {
            return false;
        };
        if !only.is_empty() {
            return only.contains(&(table.name.clone(), col.name.clone()));
        }
        let other_name = table.columns.get(other.index).map(|o| o.name.as_str());
        col.foreign_key
            .as_ref()
            .is_some_and(|fk| fk.table == table.name && Some(fk.column.as_str()) == other_name)
    };
    fn walk(
        e: &Expr,
        mark: &dyn Fn(&ColumnRef, &ColumnRef) -> Option<bool>,
        non_simple: &std::cell::Cell<bool>,
    ) -> Expr {
        match e {
            Expr::BoolList { op, clauses } => Expr::BoolList {
                op: *op,
                clauses: clauses.iter().map(|c| walk(c, mark, non_simple)).collect(),
            },
            Expr::Grouping(inner) => Expr::Grouping(Box::new(walk(inner, mark, non_simple))),
            Expr::Not(inner) => Expr::Not(Box::new(walk(inner, mark, non_simple))),
            Expr::Binary { left, op, right } => match (&**left, &**right) {
                (Expr::Column(a), Expr::Column(b)) => {
                    let mut a2 = a.clone();
                    let mut b2 = b.clone();
                    if mark(a, b) == Some(true) {
                        a2.annotations.remote = true;
                    }
                    if mark(b, a) == Some(true) && a.index != b.index {
                        b2.annotations.remote = true;
                    }
                    Expr::Binary {
                        left: Box::new(Expr::Column(a2)),
                        op: *op,
                        right: Box::new(Expr::Column(b2)),
                    }
                }
                _ => {
                    non_simple.set(true);
                    e.clone()
                }
            },
            Expr::In { .. } | Expr::Between { .. } | Expr::LikePattern { .. } => {
                non_simple.set(true);
                e.clone()
            }
            other => other.clone(),
        }
    }
    let mark = |a: &ColumnRef, b: &ColumnRef| Some(of_table(a) && of_table(b) && foreign(a, b));
    let non_simple = std::cell::Cell::new(false);
    let out = walk(expr, &mark, &non_simple);
    (out, non_simple.get())
}

/// (other-table column, `sec` column) for each equality of a column of
/// `sec` with a column of another table among the AND-ed criteria of
/// `join` (a `primaryjoin=` or `secondaryjoin=` of a many-to-many): the
/// columns the flush writes into the association row.
fn secondary_pairs(join: &crate::sql::elements::Expr, sec: &TableRef) -> Vec<(usize, usize)> {
    use crate::sql::elements::{BoolOp, Expr, Operator, Selectable};
    let conjuncts = match join {
        Expr::BoolList {
            op: BoolOp::And,
            clauses,
        } => clauses.clone(),
        other => vec![other.clone()],
    };
    let col = |e: &Expr| match e {
        Expr::Column(c) => match &c.from {
            Selectable::Table(t) => Some((Rc::ptr_eq(t, sec), c.index)),
            _ => None,
        },
        _ => None,
    };
    let mut out = Vec::new();
    for c in &conjuncts {
        if let Expr::Binary {
            left,
            op: Operator::Eq,
            right,
        } = c
            && let (Some(a), Some(b)) = (col(left), col(right))
        {
            match (a, b) {
                ((false, other), (true, s)) | ((true, s), (false, other)) => out.push((other, s)),
                _ => {}
            }
        }
    }
    out
}

fn no_foreign_keys(name: &str) -> PyErr {
    PyErr::new(
        ExcType::NoForeignKeysError,
        format!(
            "Could not determine join condition between parent/child tables on relationship {name} - there are no foreign keys linking these tables.  Ensure that referencing columns are associated with a ForeignKey or ForeignKeyConstraint, or specify a 'primaryjoin' expression."
        ),
    )
}

/// (referenced column in `referenced`, foreign-key column in `referencing`)
/// pairs for every foreign key of `referencing` that points at `referenced`.
pub fn fk_pairs(referenced: &TableRef, referencing: &TableRef) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, col) in referencing.columns.iter().enumerate() {
        if let Some(fk) = &col.foreign_key
            && fk.table == referenced.name
            && let Some(j) = referenced.column_index(&fk.column)
        {
            pairs.push((j, i));
        }
    }
    pairs
}

/// A SQL expression mapped as an attribute: `column_property(expr,
/// deferred=False)` or `query_expression()` (SQLAlchemy's `ColumnProperty`
/// over an expression that is no column of the mapped table). Read-only:
/// loaded with the object's columns, expired after each flush of the
/// object, never written.
#[derive(Debug, Clone)]
pub struct ColumnProperty {
    pub key: String,
    /// The expression, against the mapped table's columns; `None` for a
    /// `query_expression()`, whose expression each query gives with
    /// `with_expression()`.
    pub expr: Option<crate::sql::elements::Expr>,
    /// Its SQL type, when known: how its values are read.
    pub ty: Option<crate::sql::schema::SqlType>,
    /// `deferred=True`: left out of the object's SELECT, loaded alone on
    /// first access.
    pub deferred: bool,
}

impl ColumnProperty {
    /// The expression with the mapped table's columns read from `from` (an
    /// alias of the table, or the table itself), inside correlated
    /// subqueries too.
    pub fn expression_on(
        &self,
        table: &TableRef,
        from: &crate::sql::elements::Selectable,
    ) -> Option<crate::sql::elements::Expr> {
        let e = self.expr.as_ref()?;
        if matches!(from, crate::sql::elements::Selectable::Table(t) if Rc::ptr_eq(t, table)) {
            return Some(e.clone());
        }
        Some(e.map_columns_deep(&|c| match &c.from {
            crate::sql::elements::Selectable::Table(t) if Rc::ptr_eq(t, table) => {
                Some(crate::sql::elements::Expr::column(from, c.index))
            }
            _ => None,
        }))
    }
}

/// A mapped class.
#[derive(Debug)]
pub struct Mapper {
    pub class_name: String,
    /// The module the class was defined in (`chat` for a fixture's models,
    /// `__main__` for the learner's): part of the unit of work's sort key.
    pub module: String,
    pub table: TableRef,
    /// Column attributes: (attribute key, table column index), in declaration order.
    pub columns: Vec<(String, usize)>,
    /// The attribute keys of `columns`, in the same order, interned
    /// ([`super::state::intern`]): what a loaded object's dict keys share.
    pub column_keys: Vec<std::rc::Rc<str>>,
    /// Positions in `columns` in attribute-key order: the order of a
    /// loaded object's [`super::state::AttrDict`], so a row fills it by
    /// appending.
    pub column_order: Vec<usize>,
    /// The keys of `column_order` as the one name list that loaded objects
    /// share, found once here, so a row that loads every column becomes a
    /// dict without looking its names up ([`super::state::AttrDict::from_names`]).
    pub column_names: super::state::AttrNames,
    pub relationships: RefCell<Vec<Rc<Relationship>>>,
    /// `column_property()` and `query_expression()` attributes, in
    /// declaration order: selected ahead of the table's columns, as
    /// SQLAlchemy's mapper lists its explicit properties first.
    pub expressions: Vec<ColumnProperty>,
    /// Methods and plain class attributes from the class body (`__repr__`).
    pub methods: RefCell<Vec<(String, Rc<Function>)>>,
    pub class_attrs: RefCell<Vec<(String, Value)>>,
    pub registry: Weak<Registry>,
    /// A `MappedAsDataclass` class's fields, in declaration order: what
    /// its generated `__init__`, `__repr__` and `__eq__` use; `None` for
    /// other classes.
    pub dataclass_fields: Option<Vec<super::schema_items::DataclassField>>,
    /// A `MappedAsDataclass` class's keywords, merged with its base's
    /// (`init=False`, `repr=False`, `eq=False`, `unsafe_hash=True`, …).
    pub dataclass_arguments: super::schema_items::DataclassArguments,
}

impl Mapper {
    /// SQLAlchemy's `Mapper._sort_key`: `module.ClassName`.
    pub fn sort_key(&self) -> String {
        format!("{}.{}", self.module, self.class_name)
    }

    pub fn registry(&self) -> PyResult<Rc<Registry>> {
        self.registry
            .upgrade()
            .ok_or_else(|| invalid_request("registry is gone"))
    }

    /// The column attribute named `key`, as its table column index.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().find(|(k, _)| k == key).map(|(_, i)| *i)
    }

    /// The attribute key mapped to table column `index`.
    pub fn column_key(&self, index: usize) -> Option<&str> {
        self.columns
            .iter()
            .find(|(_, i)| *i == index)
            .map(|(k, _)| k.as_str())
    }

    /// The `column_property()` / `query_expression()` named `key`, as its
    /// index in [`Mapper::expressions`].
    pub fn expression(&self, key: &str) -> Option<usize> {
        self.expressions.iter().position(|p| p.key == key)
    }

    pub fn relationship(&self, key: &str) -> Option<Rc<Relationship>> {
        self.relationships
            .borrow()
            .iter()
            .find(|r| r.key == key)
            .cloned()
    }

    pub fn method(&self, name: &str) -> Option<Rc<Function>> {
        self.methods
            .borrow()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
    }

    /// Table column indices of the primary key.
    pub fn primary_key(&self) -> Vec<usize> {
        self.table.primary_key()
    }

    /// The position of mapped attribute `key` among the mapper's
    /// attributes, in [`Mapper::attribute_names`] order (columns, then
    /// `column_property()`s, then relationships): stable for the mapper's
    /// life, as relationships (backrefs too) are only ever appended.
    /// `None` for a name that is not a mapped attribute.
    pub fn attribute_index(&self, key: &str) -> Option<usize> {
        if let Some(i) = self.columns.iter().position(|(k, _)| k == key) {
            return Some(i);
        }
        let base = self.columns.len();
        if let Some(i) = self.expressions.iter().position(|p| p.key == key) {
            return Some(base + i);
        }
        let base = base + self.expressions.len();
        self.relationships
            .borrow()
            .iter()
            .position(|r| r.key == key)
            .map(|i| base + i)
    }

    /// The name of the mapped attribute at `index` in
    /// [`Mapper::attribute_index`] order.
    pub fn attribute_name(&self, index: usize) -> Option<String> {
        if let Some((k, _)) = self.columns.get(index) {
            return Some(k.clone());
        }
        let index = index - self.columns.len();
        if let Some(p) = self.expressions.get(index) {
            return Some(p.key.clone());
        }
        let index = index - self.expressions.len();
        self.relationships
            .borrow()
            .get(index)
            .map(|r| r.key.clone())
    }

    /// How many mapped attributes [`Mapper::attribute_index`] numbers.
    pub fn attribute_count(&self) -> usize {
        self.columns.len() + self.expressions.len() + self.relationships.borrow().len()
    }

    /// Every attribute name: columns, then relationships (for completion and
    /// "did you mean").
    pub fn attribute_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.columns.iter().map(|(k, _)| k.clone()).collect();
        names.extend(self.expressions.iter().map(|p| p.key.clone()));
        names.extend(self.relationships.borrow().iter().map(|r| r.key.clone()));
        names
    }
}

/// What `User.name` or `User.messages` refers to.
#[derive(Debug, Clone)]
pub enum AttrKind {
    /// A column attribute: its table column index.
    Column(usize),
    /// A `column_property()` / `query_expression()`: its index in
    /// [`Mapper::expressions`].
    Expression(usize),
    Relationship(Rc<Relationship>),
}

/// A mapped attribute on its class (SQLAlchemy's `InstrumentedAttribute`).
#[derive(Debug, Clone)]
pub struct AttrRef {
    pub mapper: Rc<Mapper>,
    pub key: String,
    pub kind: AttrKind,
    /// The `aliased(User)` entity the attribute was read from (`u2.name`):
    /// its columns render against this alias (or `aliased(User, subq)`'s
    /// subquery) instead of the table.
    pub alias: Option<crate::sql::elements::Selectable>,
    /// `User.messages.of_type(m1)`: the aliased target of a relationship, a
    /// table alias or an `aliased(Message, subq)`'s subquery.
    pub of_type: Option<crate::sql::elements::Selectable>,
    /// `User.messages.and_(Message.id > 3)`: criteria against the
    /// relationship's target table, added to its join's ON clause (or a
    /// selectin load's WHERE), as SQLAlchemy's `PropComparator.and_()`.
    pub criteria: Option<Rc<crate::sql::elements::Expr>>,
}

impl AttrRef {
    /// `User.name` on the class itself (not an alias).
    pub fn new(mapper: Rc<Mapper>, key: impl Into<String>, kind: AttrKind) -> AttrRef {
        AttrRef {
            mapper,
            key: key.into(),
            kind,
            alias: None,
            of_type: None,
            criteria: None,
        }
    }

    /// The FROM object the attribute's columns belong to: its alias, or
    /// the mapped table.
    pub fn parent_selectable(&self) -> crate::sql::elements::Selectable {
        match &self.alias {
            Some(s) => s.clone(),
            None => crate::sql::elements::Selectable::Table(self.mapper.table.clone()),
        }
    }

    /// [`AttrRef::criteria`] with the target table's columns read from
    /// `target` (the table itself, or an alias of it), inside subqueries
    /// too; `None` without criteria.
    pub fn criteria_on(
        &self,
        table: &crate::sql::schema::TableRef,
        target: &crate::sql::elements::Selectable,
    ) -> Option<crate::sql::elements::Expr> {
        use crate::sql::elements::{Expr, Selectable};
        let c = self.criteria.as_ref()?;
        Some(c.map_columns_deep(&|col| match &col.from {
            Selectable::Table(t) if Rc::ptr_eq(t, table) => Some(Expr::column(target, col.index)),
            _ => None,
        }))
    }

    /// `User.messages`
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.mapper.class_name, self.key)
    }
}

/// The declarative registry behind `Base`: every mapped class and table.
#[derive(Debug, Default)]
pub struct Registry {
    pub mappers: RefCell<Vec<Rc<Mapper>>>,
    /// Every table in declaration order (mapped tables and `Table(...)`):
    /// the registry's `MetaData`.
    pub tables: RefCell<Vec<TableRef>>,
    /// The class name of a `class Base(DeclarativeBase)` base; `None` for
    /// `declarative_base()` and a plain `MetaData()`.
    pub class_name: Option<String>,
    /// `class Base(AsyncAttrs, DeclarativeBase)`: its instances have
    /// `awaitable_attrs` (`sqlalchemy.ext.asyncio.AsyncAttrs`).
    pub async_attrs: std::cell::Cell<bool>,
    /// `class Base(MappedAsDataclass, DeclarativeBase)`: its classes are
    /// dataclasses ([`Mapper::dataclass_fields`]).
    pub dataclass: std::cell::Cell<bool>,
    /// The keywords of a `MappedAsDataclass` base (`kw_only=True`), which
    /// its classes inherit.
    pub dataclass_arguments: RefCell<super::schema_items::DataclassArguments>,
    /// Every relationship resolved since the last class was mapped.
    pub configured: std::cell::Cell<bool>,
    /// The mapper whose configuration failed (`Mapper[User(users)]`) and
    /// the error's message: SQLAlchemy's `Mapper._configure_failed`, which
    /// every later configuration reports.
    pub configure_failed: RefCell<Option<(String, String)>>,
    /// `Base.metadata`, made once so that `is` holds between two reads.
    pub metadata: OnceCell<Value>,
    /// The `@declared_attr` functions of a `class Base(DeclarativeBase)`'s
    /// body (`__tablename__`), which each class it maps calls.
    pub declared_attrs: RefCell<Vec<(String, Value)>>,
    /// `Sequence("s", metadata=md)`: the metadata's sequences of no column,
    /// created before its tables and dropped after them.
    pub sequences: RefCell<Vec<Rc<crate::sql::schema::Sequence>>>,
    /// The base's `type_annotation_map`: each Python type (the key object,
    /// `str`, `datetime`, an `Annotated[...]` alias) and the column type a
    /// `Mapped[...]` of it gets, before SQLAlchemy's defaults.
    pub type_annotation_map: RefCell<Vec<(Value, crate::sql::schema::SqlType)>>,
}

thread_local! {
    /// Every registry a class was mapped in: what `configure_mappers()`
    /// configures.
    static MAPPED_REGISTRIES: RefCell<Vec<Weak<Registry>>> = const { RefCell::new(Vec::new()) };
}

/// Notes that a class was mapped in `registry` (for `configure_mappers()`).
pub fn note_mapped(registry: &Rc<Registry>) {
    MAPPED_REGISTRIES.with(|all| {
        let mut all = all.borrow_mut();
        all.retain(|r| r.strong_count() > 0);
        if !all
            .iter()
            .any(|r| std::ptr::eq(r.as_ptr(), Rc::as_ptr(registry)))
        {
            all.push(Rc::downgrade(registry));
        }
    });
}

/// The registries classes were mapped in that still exist, oldest first.
pub fn mapped_registries() -> Vec<Rc<Registry>> {
    MAPPED_REGISTRIES.with(|all| all.borrow().iter().filter_map(Weak::upgrade).collect())
}

impl Registry {
    /// `Base.metadata` / `registry.metadata`: the registry's `MetaData`
    /// object, the same one at every read.
    pub fn metadata_value(self: &Rc<Self>) -> Value {
        self.metadata
            .get_or_init(|| Value::native(super::schema_items::SchemaItem::Metadata(self.clone())))
            .clone()
    }

    pub fn mapper(&self, class_name: &str) -> Option<Rc<Mapper>> {
        self.mappers
            .borrow()
            .iter()
            .find(|m| m.class_name == class_name)
            .cloned()
    }

    pub fn table(&self, name: &str) -> Option<TableRef> {
        self.tables
            .borrow()
            .iter()
            .find(|t| t.name == name)
            .cloned()
    }

    /// The metadata's sequences in the order `MetaData._sequences` holds
    /// them: those made with `metadata=` (standalone), then each table's
    /// column sequences in table order; each with whether it is standalone.
    pub fn all_sequences(&self) -> Vec<(Rc<crate::sql::schema::Sequence>, bool)> {
        let mut out: Vec<_> = self
            .sequences
            .borrow()
            .iter()
            .map(|s| (s.clone(), true))
            .collect();
        for t in self.tables.borrow().iter() {
            for c in &t.columns {
                let Some(s) = &c.sequence else { continue };
                match out.iter_mut().find(|(o, _)| Rc::ptr_eq(o, s)) {
                    Some((_, standalone)) => *standalone = false,
                    None => out.push((s.clone(), false)),
                }
            }
        }
        out
    }

    pub fn mapper_for_table(&self, table: &TableRef) -> Option<Rc<Mapper>> {
        self.mappers
            .borrow()
            .iter()
            .find(|m| Rc::ptr_eq(&m.table, table))
            .cloned()
    }

    /// SQLAlchemy's `configure_mappers()`, run when a mapped class is first
    /// instantiated: resolves every relationship of every mapper.
    ///
    /// Errors: the first relationship's `AmbiguousForeignKeysError`,
    /// `NoForeignKeysError` or `InvalidRequestError` (an unknown target);
    /// once one has failed, every later configuration's `InvalidRequestError`
    /// "One or more mappers failed to initialize …".
    pub fn configure(&self) -> PyResult<()> {
        if self.configured.get() {
            return Ok(());
        }
        if let Some((mapper, message)) = &*self.configure_failed.borrow() {
            return Err(invalid_request(format!(
                "One or more mappers failed to initialize - can't proceed with initialization of other mappers. Triggering mapper: '{mapper}'. Original exception was: {message}"
            )));
        }
        let mappers = self.mappers.borrow().clone();
        for m in &mappers {
            let rels = m.relationships.borrow().clone();
            for r in rels {
                let checked = r
                    .resolve()
                    .and_then(|resolved| r.check_back_populates(&resolved.target));
                if let Err(e) = checked {
                    *self.configure_failed.borrow_mut() = Some((
                        format!("Mapper[{}({})]", m.class_name, m.table.name),
                        e.message.clone(),
                    ));
                    return Err(e);
                }
            }
        }
        self.configured.set(true);
        Ok(())
    }

    /// Tables in the order `create_all()` creates them: each after the
    /// tables it references (SQLAlchemy's `sort_tables`).
    pub fn tables_in_dependency_order(&self) -> Vec<TableRef> {
        crate::sql::ddl::sort_tables_for_create(&self.tables.borrow())
    }
}
