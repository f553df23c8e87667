//! Loading rows into objects (SQLAlchemy's `orm/loading.py`): an object per
//! row through the identity map (`_instance`), the rows of an ORM query
//! (`instances`), the eager loads that follow them, loads by primary key
//! (`load_on_ident`, `load_scalar_attributes`) for `get()`, expired
//! attributes and `refresh()`.

use std::collections::HashMap;
use std::rc::Rc;

use crate::outcome::Cause;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request};
use crate::python::value::Value;
use crate::sql::elements::{Expr, LabelStyle, Operator, Select, Selectable};
use crate::sql::schema::{SqlType, SqlValue};

use super::expression::{bind_value, result_value};
use super::identity::RowKey;
use super::mapper::{AttrKind, Mapper, Relationship};
use super::query::{Entity, Query, QueryStyle, RowPlan, expr_key};
use super::session::{GetOptions, LoadedRows, Session};

use super::state::{Instance, InstanceCell, Obj, ObjSet, next_address, state_str};
use super::strategies::{selectin_load, subquery_load};
use super::strategy_options::{LoadedColumns, LoaderOption, Strategy, child_options, strategy_for};

impl Session {
    /// Builds or finds the object for a row whose mapper columns start at
    /// `offset` (SQLAlchemy's `loading._instance`). An existing object keeps
    /// its loaded attributes and gets its expired ones from the row. `None`
    /// when the primary key is all NULL (no row on an outer join).
    pub fn load_row(
        &self,
        mapper: &Rc<Mapper>,
        row: &[SqlValue],
        offset: usize,
    ) -> PyResult<Option<Obj>> {
        self.load_row_with(mapper, row, offset, false)
    }

    /// [`Session::load_row`]; with `populate_existing`, an object already in
    /// the identity map gets every column from the row, its unflushed
    /// changes are discarded and its relationships are reset to load again
    /// (SQLAlchemy's `populate_existing` execution option).
    pub fn load_row_with(
        &self,
        mapper: &Rc<Mapper>,
        row: &[SqlValue],
        offset: usize,
        populate_existing: bool,
    ) -> PyResult<Option<Obj>> {
        self.load_row_columns(mapper, row, offset, None, populate_existing)
    }

    /// [`Session::load_row_with`] for a row holding only the columns
    /// `loaded` lists (`load_only()`, `defer()`, `deferred()` columns):
    /// row position `offset + j` holds table column `loaded.cols[j]`; the
    /// others are left unloaded on a new object, to load on access. `None`
    /// reads every column at `offset + column index`.
    pub fn load_row_columns(
        &self,
        mapper: &Rc<Mapper>,
        row: &[SqlValue],
        offset: usize,
        loaded: Option<&LoadedColumns>,
        populate_existing: bool,
    ) -> PyResult<Option<Obj>> {
        Ok(self
            .load_row_columns_new(mapper, row, offset, loaded, populate_existing)?
            .map(|(obj, _)| obj))
    }

    /// [`Session::load_row_columns`], telling whether the object is new
    /// (`true`: made from this row, so in no set of objects yet).
    pub(super) fn load_row_columns_new(
        &self,
        mapper: &Rc<Mapper>,
        row: &[SqlValue],
        offset: usize,
        loaded: Option<&LoadedColumns>,
        populate_existing: bool,
    ) -> PyResult<Option<(Obj, bool)>> {
        let table = &mapper.table;
        let position = |col: usize| match loaded {
            None => Some(offset + col),
            Some(l) => l.position(offset, col),
        };
        // `column_property()` / `with_expression()` values, by key.
        let expression_values = || {
            loaded
                .map(|l| {
                    l.exprs
                        .iter()
                        .enumerate()
                        .filter_map(|(j, (k, _))| {
                            let prop = mapper.expressions.get(*k)?;
                            let v = row.get(offset + j).unwrap_or(&SqlValue::Null);
                            Some((prop.key.as_str(), result_value(v, prop.ty.as_ref())))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        // The usual key, one integer column read as an integer: its row key
        // at once, its `Vec` made only for a new object.
        let mut pk_columns = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.primary_key);
        let int_key = match (pk_columns.next(), pk_columns.next()) {
            (Some((i, c)), None)
                if matches!(
                    c.sql_type,
                    SqlType::Integer | SqlType::BigInteger | SqlType::SmallInteger
                ) =>
            {
                match position(i).and_then(|p| row.get(p)) {
                    Some(SqlValue::Integer(n)) => Some(*n),
                    _ => None,
                }
            }
            _ => None,
        };
        let (row_key, key) = match int_key {
            Some(n) => (RowKey::Int(n), vec![]),
            None => {
                let mut key = Vec::with_capacity(1);
                for (i, column) in table.columns.iter().enumerate() {
                    if !column.primary_key {
                        continue;
                    }
                    let v = position(i)
                        .and_then(|p| row.get(p))
                        .unwrap_or(&SqlValue::Null);
                    key.push(result_value(v, Some(&column.sql_type)));
                }
                if key.iter().all(|v| matches!(v, Value::None)) {
                    return Ok(None);
                }
                (RowKey::of(&key), key)
            }
        };
        let column_value = |col: usize| {
            position(col).map(|p| {
                let v = row.get(p).unwrap_or(&SqlValue::Null);
                result_value(v, Some(&table.columns[col].sql_type))
            })
        };
        // A new object is made while the identity map is borrowed: making
        // it reads the row only.
        let make = || {
            let mut inst = Instance::new(mapper.clone(), next_address());
            // Every column in the row (the usual case): the values in
            // name order under the mapper's shared names, as they are.
            let mut values = Vec::with_capacity(mapper.column_order.len());
            for &i in &mapper.column_order {
                match column_value(mapper.columns[i].1) {
                    Some(v) => values.push(v),
                    None => break,
                }
            }
            inst.dict = if values.len() == mapper.column_order.len() {
                super::state::AttrDict::from_names(&mapper.column_names, values)
            } else {
                super::state::AttrDict::from_sorted(mapper.column_order.iter().filter_map(|&i| {
                    column_value(mapper.columns[i].1).map(|v| (mapper.column_keys[i].clone(), v))
                }))
            };
            for (attr, v) in expression_values() {
                inst.dict.insert(attr, v);
            }
            if let Some(l) = loaded.filter(|l| !l.deferred.is_empty()) {
                inst.rare_mut().deferred = l.deferred.iter().cloned().collect();
            }
            inst.key = Some(match int_key {
                Some(n) => super::state::KeyValues::One(Value::Int(n)),
                None => key.into(),
            });
            inst.session = Some(self.uid);
            super::state::InstanceCell::new_clean(inst)
        };
        // A live object of an earlier class of the same name, redefined
        // since, is another class's: not this row's object.
        let same_class = |o: &super::state::Obj| {
            o.try_borrow()
                .map_or(true, |i| Rc::ptr_eq(&i.mapper, mapper))
        };
        let looked = self.identity_map.borrow_mut().get_row_or_insert(
            &mapper.class_name,
            row_key,
            same_class,
            make,
        );
        if let Ok(existing) = looked {
            let mut o = existing.borrow_mut();
            if populate_existing {
                o.clear_expired();
                if let Some(r) = o.rare_if_any() {
                    r.committed.clear();
                    r.modified_relationships.clear();
                }
                for rel in mapper.relationships.borrow().iter() {
                    o.dict.remove(&rel.key);
                    if let Some(r) = o.rare_if_any() {
                        r.committed_collections.remove(&rel.key);
                    }
                }
            }
            // The usual case, an object met again with every column
            // loaded and none expired: nothing to fill in.
            let complete = !populate_existing
                && !o.has_expired()
                && o.dict.contains_all_interned(
                    mapper.column_order.iter().map(|&i| &mapper.column_keys[i]),
                );
            for (attr, col) in &mapper.columns {
                if complete {
                    break;
                }
                if populate_existing
                    || o.is_expired(attr)
                    || (!o.dict.contains_key(attr) && !o.committed().contains_key(attr))
                {
                    let Some(v) = column_value(*col) else {
                        continue;
                    };
                    o.dict.insert(attr, v);
                    o.unexpire(attr);
                    if let Some(r) = o.rare_if_any() {
                        r.deferred.remove(attr);
                    }
                }
            }
            for (attr, v) in expression_values() {
                if populate_existing || o.is_expired(attr) || !o.dict.contains_key(attr) {
                    o.dict.insert(attr, v);
                    o.unexpire(attr);
                    if let Some(r) = o.rare_if_any() {
                        r.deferred.remove(attr);
                    }
                }
            }
            drop(o);
            return Ok(Some((existing, false)));
        }
        Ok(looked.err().map(|made| (made, true)))
    }

    /// Eager loads after a lazy load or `get()`: the relationships' own
    /// `lazy="selectin"`/`"subquery"`.
    pub fn post_load(
        self: &Rc<Self>,
        mapper: &Rc<Mapper>,
        objs: &[Obj],
        options: &[Rc<LoaderOption>],
    ) -> PyResult<()> {
        self.post_load_query(mapper, objs, options, None)
    }

    /// Runs, for freshly loaded `objs` of `mapper`, what `options` (or the
    /// relationships' own `lazy=`) ask after the main SELECT: selectin and
    /// subquery eager loads (a subquery load needs the query it came from),
    /// and marks for `raiseload`/`noload`.
    pub fn post_load_query(
        self: &Rc<Self>,
        mapper: &Rc<Mapper>,
        objs: &[Obj],
        options: &[Rc<LoaderOption>],
        query: Option<(&Query, usize)>,
    ) -> PyResult<()> {
        if objs.is_empty() {
            return Ok(());
        }
        let _path = LoadPath::enter(&[mapper]);
        let rels: Vec<Rc<Relationship>> = mapper.relationships.borrow().clone();
        for rel in rels {
            let mut strategy = strategy_for(options, mapper, &rel);
            // A relationship's own lazy="selectin"/"subquery" does not load
            // a mapper already on the path (SQLAlchemy's
            // `PostLoader._setup_for_recursion`): it stays a lazy load.
            if matches!(strategy, Strategy::Selectin | Strategy::Subquery)
                && !super::strategy_options::has_option_for(options, mapper, &rel)
                && LoadPath::contains(&rel.resolve()?.target)
            {
                strategy = Strategy::Lazy;
            }
            let mut attr = super::mapper::AttrRef::new(
                mapper.clone(),
                rel.key.clone(),
                AttrKind::Relationship(rel.clone()),
            );
            let and_criteria = super::strategy_options::criteria_for(options, mapper, &rel);
            attr.criteria = match strategy {
                // `with_loader_criteria()` for the target, after the
                // `.and_()` criteria.
                Strategy::Selectin | Strategy::Subquery => {
                    super::strategy_options::relationship_load_criteria(
                        and_criteria.clone(),
                        options,
                        &rel.resolve()?.target,
                    )
                }
                _ => and_criteria.clone(),
            };
            let below = child_options(options, mapper, &rel);
            match strategy {
                Strategy::Selectin => selectin_load(self, &attr, objs, &below)?,
                Strategy::Subquery => match query {
                    Some((q, entity)) => subquery_load(self, &attr, objs, q, entity, &below)?,
                    None => selectin_load(self, &attr, objs, &below)?,
                },
                Strategy::Raise | Strategy::RaiseOnSql => {
                    for o in objs {
                        let mut b = o.borrow_mut();
                        if !b.dict.contains_key(&rel.key) {
                            let r = b.rare_mut();
                            if strategy == Strategy::Raise {
                                r.raise_on_load.insert(rel.key.clone());
                            } else {
                                r.raise_on_sql.insert(rel.key.clone());
                            }
                        }
                    }
                }
                Strategy::Noload => {
                    let uselist = rel.resolve()?.uselist;
                    for o in objs {
                        if !o.borrow().dict.contains_key(&rel.key) {
                            if uselist {
                                self.set_loaded_collection(o, &rel.key, Vec::new());
                            } else {
                                self.set_loaded_scalar(o, &rel.key, Value::None);
                            }
                        }
                    }
                }
                Strategy::Lazy | Strategy::Joined | Strategy::Default | Strategy::ContainsEager => {
                    let nothing_to_keep = below.is_empty() && and_criteria.is_none();
                    for o in objs {
                        // nothing to forget or keep: no allocation, and the
                        // object is not touched
                        if nothing_to_keep && o.borrow().rare.is_none() {
                            continue;
                        }
                        let mut b = o.borrow_mut();
                        let r = b.rare_mut();
                        r.raise_on_load.remove(&rel.key);
                        r.raise_on_sql.remove(&rel.key);
                        // `lazyload(User.messages.and_(…))`: the lazy load's
                        // extra criteria.
                        match (&and_criteria, strategy) {
                            (Some(c), Strategy::Lazy) => {
                                r.lazy_criteria.insert(rel.key.clone(), c.clone());
                            }
                            _ => {
                                r.lazy_criteria.remove(&rel.key);
                            }
                        }
                        if below.is_empty() {
                            r.lazy_options.remove(&rel.key);
                        } else {
                            r.lazy_options.insert(rel.key.clone(), below.clone());
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Loads the expired or unloaded column attributes of a persistent object
    /// with one SELECT by primary key (SQLAlchemy's `load_scalar_attributes`).
    ///
    /// Errors: `ObjectDeletedError` when the row is gone.
    pub fn load_expired(self: &Rc<Self>, obj: &Obj, attr: &str) -> PyResult<()> {
        let mapper = obj.borrow().mapper.clone();
        self.load_by_key(
            obj,
            LabelStyle::TablenamePlusCol,
            Cause::ExpiredReload(format!("{}.{}", mapper.class_name, attr)),
        )
    }

    /// Loads a deferred column attribute (`load_only()`, `defer()`, a
    /// `deferred()` column) with its own SELECT by primary key, together
    /// with the still-unloaded columns of its `deferred_group`, as
    /// SQLAlchemy's `DeferredColumnLoader`.
    ///
    /// Errors: `ObjectDeletedError` when the row is gone.
    pub fn load_deferred(self: &Rc<Self>, obj: &Obj, attr: &str) -> PyResult<()> {
        let class_name = obj.borrow().mapper.class_name.clone();
        let cause = Cause::DeferredLoad(format!("{class_name}.{attr}"));
        let own_expression = obj.borrow().mapper.expression(attr);
        if let Some(k) = own_expression {
            // A deferred `column_property()`: its own SELECT.
            self.load_columns(obj, &[k], &[], LabelStyle::TablenamePlusCol, cause)?;
            if let Some(r) = obj.borrow_mut().rare_if_any() {
                r.deferred.remove(attr);
            }
            return Ok(());
        }
        let columns: Vec<usize> = {
            let o = obj.borrow();
            let mapper = &o.mapper;
            let group_of = |i: usize| {
                mapper
                    .table
                    .columns
                    .get(i)
                    .and_then(|c| c.deferred.as_ref())
                    .and_then(|d| d.group.clone())
            };
            let own = mapper.column(attr);
            let group = own.and_then(group_of);
            mapper
                .columns
                .iter()
                .filter(|(k, i)| {
                    Some(*i) == own
                        || (group.is_some()
                            && group_of(*i) == group
                            && o.deferred().contains_key(k))
                })
                .map(|(_, i)| *i)
                .collect()
        };
        self.load_columns(obj, &[], &columns, LabelStyle::TablenamePlusCol, cause)?;
        let mut o = obj.borrow_mut();
        for i in columns {
            if let Some(k) = o.mapper.column_key(i).map(str::to_string)
                && let Some(r) = o.rare_if_any()
            {
                r.deferred.remove(&k);
            }
        }
        Ok(())
    }

    /// SELECT of every column by primary key, filling the object's unloaded
    /// attributes (not its deferred ones, nor a `query_expression()`): an
    /// expired-attribute reload labels its columns (`users_id`),
    /// `refresh()` does not (SQLAlchemy 2.0).
    fn load_by_key(self: &Rc<Self>, obj: &Obj, style: LabelStyle, cause: Cause) -> PyResult<()> {
        let (exprs, columns) = {
            let o = obj.borrow();
            let unloaded = |a: &str| {
                !o.deferred().contains_key(a)
                    && (o.is_expired(a)
                        || (!o.dict.contains_key(a) && !o.committed().contains_key(a)))
            };
            let exprs: Vec<usize> = o
                .mapper
                .expressions
                .iter()
                .enumerate()
                .filter(|(_, p)| p.expr.is_some() && unloaded(&p.key))
                .map(|(k, _)| k)
                .collect();
            let columns: Vec<usize> = o
                .mapper
                .columns
                .iter()
                .filter(|(a, _)| unloaded(a))
                .map(|(_, c)| *c)
                .collect();
            (exprs, columns)
        };
        self.load_columns(obj, &exprs, &columns, style, cause)
    }

    /// SELECT of the given columns by primary key (SQLAlchemy's
    /// `load_on_ident` for only the attributes it needs), stored on `obj`.
    ///
    /// Errors: `ObjectDeletedError` when the row is gone.
    pub fn load_columns(
        self: &Rc<Self>,
        obj: &Obj,
        exprs: &[usize],
        columns: &[usize],
        style: LabelStyle,
        cause: Cause,
    ) -> PyResult<()> {
        let (mapper, key) = {
            let o = obj.borrow();
            (o.mapper.clone(), o.key.clone())
        };
        let Some(key) = key else {
            return Ok(());
        };
        if columns.is_empty() && exprs.is_empty() {
            return Ok(());
        }
        self.autoflush()?;
        let from = Selectable::Table(mapper.table.clone());
        let props: Vec<&super::mapper::ColumnProperty> = exprs
            .iter()
            .filter_map(|k| mapper.expressions.get(*k))
            .collect();
        let mut select = Select::new(
            props
                .iter()
                .filter_map(|p| p.expr.clone())
                .chain(columns.iter().map(|i| Expr::column(&from, *i)))
                .collect(),
            style,
        );
        for (i, (&col, v)) in mapper.primary_key().iter().zip(key.iter()).enumerate() {
            let ty = mapper.table.columns.get(col).map(|c| c.sql_type.clone());
            select.where_.push(Expr::binary(
                Expr::column(&from, col),
                Operator::Eq,
                pk_bind(i, bind_value(v, ty.as_ref())?),
            ));
        }
        let rows = self.run_select(&select, cause)?;
        match rows.first() {
            Some(row) => {
                let mut o = obj.borrow_mut();
                for (i, p) in props.iter().enumerate() {
                    let v = row.get(i).unwrap_or(&SqlValue::Null);
                    o.dict.insert(&p.key, result_value(v, p.ty.as_ref()));
                    o.unexpire(&p.key);
                }
                let row = row.get(props.len()..).unwrap_or_default();
                for (i, col) in columns.iter().enumerate() {
                    let Some(a) = mapper.column_key(*col).map(str::to_string) else {
                        continue;
                    };
                    if o.committed().contains_key(&a) && !o.is_expired(&a) {
                        continue;
                    }
                    let v = row.get(i).unwrap_or(&SqlValue::Null);
                    o.dict.insert(
                        &a,
                        result_value(v, Some(&mapper.table.columns[*col].sql_type)),
                    );
                    o.unexpire(&a);
                }
                Ok(())
            }
            None => {
                obj.borrow_mut().gone = true;
                Err(PyErr::new(
                    ExcType::ObjectDeletedError,
                    format!(
                        "Instance '{}' has been deleted, or its row is otherwise not present.",
                        state_str(obj)
                    ),
                ))
            }
        }
    }

    /// The objects and values of an ORM query's rows (SQLAlchemy's
    /// `loading.instances`): objects from the identity map, joined eager
    /// loads from the same rows, then the selectin and subquery eager loads
    /// and loader-option marks (raiseload, noload).
    pub(super) fn instances(
        self: &Rc<Self>,
        query: &Query,
        plan: &RowPlan,
        stream: impl FnOnce(&mut dyn FnMut(&[SqlValue]) -> PyResult<()>) -> PyResult<()>,
    ) -> PyResult<LoadedRows> {
        let defer = self.post_loads_deferred.take();
        let mut values: Vec<Value> = Vec::new();
        let mut count = 0;
        let mut per_entity: Vec<ObjSet> = (0..query.entities.len())
            .map(|_| ObjSet::default())
            .collect();
        // The objects of each earlier `yield_per` batch, for its post loads.
        let mut batches: Vec<Vec<ObjSet>> = Vec::new();
        let mut joined = JoinedRows::new(plan.joined.clone())?;
        // Each bundle's row keys: its columns' keys.
        let bundle_keys: Vec<Option<Rc<[String]>>> = query
            .entities
            .iter()
            .map(|e| match e {
                Entity::Bundle(b) => Some(Rc::from(
                    b.exprs
                        .iter()
                        .map(|c| {
                            c.key.clone().unwrap_or_else(|| {
                                // An unnamed expression has no key in a
                                // Bundle's row (`_fields` leaves it out).
                                crate::orm::query::expr_key_opt(&c.expr).unwrap_or_else(|| {
                                    crate::python::value::Row::NO_KEY.to_string()
                                })
                            })
                        })
                        .collect::<Vec<_>>(),
                )),
                _ => None,
            })
            .collect();
        if self.db.echo().debug() {
            *self.row_types.borrow_mut() = Some(row_types(query, plan, &joined));
            self.keep_row_lines.set(true);
        }
        let repeated = repeated_entity_columns(query, plan, &joined);
        self.repeated_columns.set(repeated);
        // The lone entity's key and object on the row before, when its
        // columns repeat (`repeated`): a row with the same key gives the
        // same object, already complete, without a look-up.
        let mut before: Option<(i64, Obj)> = None;
        let streamed = stream(&mut |r: &[SqlValue]| {
            // This row's values are pushed onto `values` from `start`.
            let start = values.len();
            let out = &mut values;
            for (i, e) in query.entities.iter().enumerate() {
                let offset = plan.offsets[i];
                match e {
                    Entity::Mapper(m, ..) => {
                        let mut key = None;
                        if let Some(rep) = repeated
                            && let Some(SqlValue::Integer(k)) = r.get(rep.key)
                        {
                            if let Some((kb, obj)) = &before
                                && k == kb
                            {
                                per_entity[i].insert(obj);
                                out.push(crate::orm::state::instance_value(obj.clone()));
                                continue;
                            }
                            key = Some(*k);
                        }
                        let loaded = plan.columns.get(i).and_then(Option::as_ref);
                        match self.load_row_columns_new(
                            m,
                            r,
                            offset,
                            loaded,
                            query.populate_existing,
                        )? {
                            Some((obj, new)) => {
                                if new {
                                    per_entity[i].push_new(&obj);
                                } else {
                                    per_entity[i].insert(&obj);
                                }
                                if let Some(k) = key {
                                    before = Some((k, obj.clone()));
                                }
                                out.push(crate::orm::state::instance_value(obj));
                            }
                            None => out.push(Value::None),
                        }
                    }
                    Entity::Column(c) => {
                        let v = r.get(offset).unwrap_or(&SqlValue::Null);
                        out.push(result_value(v, c.ty.as_ref()));
                    }
                    Entity::Bundle(b) => {
                        // `Bundle.create_row_processor`: a `Row` of its
                        // columns' values.
                        let values = b
                            .exprs
                            .iter()
                            .enumerate()
                            .map(|(j, c)| {
                                let v = r.get(offset + j).unwrap_or(&SqlValue::Null);
                                result_value(v, c.ty.as_ref())
                            })
                            .collect();
                        out.push(Value::Row(Rc::new(crate::python::value::Row {
                            keys: bundle_keys[i]
                                .clone()
                                .unwrap_or_else(|| Rc::from(Vec::new())),
                            values,
                        })));
                    }
                }
            }
            joined.row(
                self,
                r,
                |i| match out.get(start + i) {
                    Some(inst) => crate::orm::state::as_instance(inst),
                    None => None,
                },
                query.populate_existing,
            )?;
            count += 1;
            // `yield_per`: SQLAlchemy fetches this many rows, then runs the
            // batch's post loads (selectin) before the next batch.
            if let Some(n) = query.yield_per
                && count % n == 0
            {
                batches.push(std::mem::replace(
                    &mut per_entity,
                    (0..query.entities.len())
                        .map(|_| ObjSet::default())
                        .collect(),
                ));
            }
            Ok(())
        });
        self.row_types.take();
        self.keep_row_lines.set(false);
        self.repeated_columns.set(None);
        let mut row_lines = self.loaded_row_lines.take();
        streamed?;
        joined.assign(self);
        batches.push(per_entity);
        // `loading.instances` refuses before it fetches a row
        let joined_collection = joined.has_collection();
        if joined_collection && query.yield_per.is_some() {
            return Err(crate::python::exceptions::invalid_request(
                "Can't use yield_per with eager loaders that require uniquing or row \
                 buffering, e.g. joinedload() against collections or subqueryload().  \
                 Consider the selectinload() strategy for better flexibility in loading \
                 objects.",
            ));
        }
        let post_loads = if defer {
            let post = PostLoads {
                session: self.clone(),
                query: query.clone(),
                batches,
                joined,
            };
            Some(Rc::new(PendingPostLoads(std::cell::RefCell::new(Some(
                post,
            )))))
        } else {
            // the rows are fetched (and logged) before the post loads run
            row_lines.emit();
            run_post_loads(self, query, batches, joined)?;
            None
        };
        let keys = query
            .entities
            .iter()
            .map(|e| match e {
                // `aliased(User, name="u1")` is keyed by its name; an
                // anonymous alias has no key, as SQLAlchemy's rows.
                Entity::Mapper(_, Some(crate::sql::elements::Selectable::Alias(a)), _) => {
                    match &a.name {
                        crate::sql::elements::Name::Fixed(n) => n.clone(),
                        crate::sql::elements::Name::Anon(_) => {
                            crate::python::value::Row::NO_KEY.to_string()
                        }
                    }
                }
                Entity::Mapper(m, None, _) => m.class_name.clone(),
                // `aliased(User, subq, name="u")` is keyed by its name, an
                // unnamed one over a subquery has no key.
                Entity::Mapper(_, Some(_), name) => name.as_deref().map_or_else(
                    || crate::python::value::Row::NO_KEY.to_string(),
                    str::to_string,
                ),
                Entity::Column(c) => c.key.clone().unwrap_or_else(|| expr_key(&c.expr)),
                Entity::Bundle(b) => b.name.clone(),
            })
            .collect();
        let keys = dedupe_column_keys(&query.entities, keys);
        Ok(LoadedRows {
            values,
            count,
            keys,
            joined_collection,
            row_lines,
            post_loads,
        })
    }

    /// The SELECT of `Session.get()` (SQLAlchemy's `load_on_pk_identity`):
    /// the mapper's columns `WHERE pk = ?`, as a legacy query carrying the
    /// loader options, so joined eager loads join and selectin loads follow.
    pub(super) fn load_on_ident(
        self: &Rc<Self>,
        mapper: &Rc<Mapper>,
        key: &[Value],
        options: GetOptions,
    ) -> PyResult<Option<Obj>> {
        let mut query = Query::new(
            QueryStyle::Legacy(self.clone()),
            vec![Entity::Mapper(mapper.clone(), None, None)],
        );
        query.options = options.options;
        query.populate_existing = options.populate_existing;
        let from = Selectable::Table(mapper.table.clone());
        for (i, (&col, v)) in mapper.primary_key().iter().zip(key).enumerate() {
            let ty = mapper.table.columns.get(col).map(|c| c.sql_type.clone());
            query.where_.push(match v {
                Value::None => Expr::binary(Expr::column(&from, col), Operator::Is, Expr::Null),
                v => Expr::binary(
                    Expr::column(&from, col),
                    Operator::Eq,
                    pk_bind(i, bind_value(v, ty.as_ref())?),
                ),
            });
        }
        let loaded = self.execute_query(&query, None)?;
        Ok(match loaded.values.first() {
            Some(inst) => crate::orm::state::as_instance(inst),
            None => None,
        })
    }
}

/// The parameter of the `i`-th primary-key column in a load by identity:
/// `Mapper._get_clause`'s `bindparam("pk_1")`.
pub(super) fn pk_bind(i: usize, value: crate::sql::schema::SqlValue) -> Expr {
    Expr::BindParam {
        key: format!("pk_{}", i + 1),
        value,
        unique: false,
    }
}

/// The columns of a query's lone entity, from the table itself, when a
/// joined eager load of a collection repeats them on each child's row and
/// its lone integer primary key finds the object again: a row repeating
/// the key of the row before gives an object already complete from that
/// row, whose columns are not read again (the driver may leave them
/// undecoded, [`crate::engine::Connection::query_each_repeating`]).
fn repeated_entity_columns(
    query: &Query,
    plan: &RowPlan,
    joined: &JoinedRows,
) -> Option<crate::engine::RepeatedColumns> {
    if !joined.has_collection() || query.populate_existing {
        return None;
    }
    let [Entity::Mapper(m, None, _)] = query.entities.as_slice() else {
        return None;
    };
    if plan.columns.first().is_some_and(Option::is_some) || !m.expressions.is_empty() {
        return None;
    }
    let start = *plan.offsets.first()?;
    let end = start + m.table.columns.len();
    let mut pk = m
        .table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.primary_key);
    let (key, column) = pk.next()?;
    let integer = matches!(
        column.sql_type,
        SqlType::Integer | SqlType::BigInteger | SqlType::SmallInteger
    );
    if pk.next().is_some() || !integer || joined.joined.iter().any(|j| j.offset < end) {
        return None;
    }
    Some(crate::engine::RepeatedColumns {
        key: start + key,
        start,
        end,
    })
}

/// The joined eager loads read from the rows of one SELECT alongside its
/// entities (SQLAlchemy's `JoinedLoader` row populators): per row, each
/// load's target object from its columns, collected under its parent; then
/// the parents' attributes set, and the loads that continue below run.
/// Serves an ORM query's rows and those of a selectin or subquery load
/// whose own SELECT joins (`selectinload(A.b).joinedload(B.c)`).
pub(super) struct JoinedRows {
    joined: Vec<super::query::JoinedEager>,
    targets: Vec<Rc<super::mapper::Resolved>>,
    per_joined: Vec<ObjSet>,
    /// (joined index, parent, children in order, parent's attribute was unloaded)
    collected: Vec<(usize, Obj, ObjSet, bool)>,
    /// (joined index, parent) → its place in `collected`.
    slots: HashMap<(usize, *const InstanceCell), usize, super::state::FastHash>,
    /// Per joined load, the parent of the last row read and its place in
    /// `collected`.
    last_slots: Vec<Option<(*const InstanceCell, usize)>>,
    /// The objects the row being read joined, one per joined load (kept
    /// between rows to reuse its allocation).
    row_objs: Vec<Option<Obj>>,
}

impl JoinedRows {
    /// Errors: those of resolving each load's relationship.
    pub(super) fn new(joined: Vec<super::query::JoinedEager>) -> PyResult<JoinedRows> {
        let mut targets = Vec::with_capacity(joined.len());
        for j in &joined {
            let AttrKind::Relationship(rel) = &j.attr.kind else {
                return Err(invalid_request("joined load of a column"));
            };
            targets.push(rel.resolve()?);
        }
        Ok(JoinedRows {
            per_joined: (0..joined.len()).map(|_| ObjSet::default()).collect(),
            joined,
            targets,
            collected: Vec::new(),
            slots: HashMap::default(),
            last_slots: Vec::new(),
            row_objs: Vec::new(),
        })
    }

    /// True when there is no joined load to read.
    pub(super) fn is_empty(&self) -> bool {
        self.joined.is_empty()
    }

    /// Reads row `r`'s joined objects; `entity(i)` is the object the row
    /// gave entity `i` (a load of [`JoinedParent::Entity`]`(i)` hangs there).
    pub(super) fn row(
        &mut self,
        session: &Session,
        r: &[SqlValue],
        entity: impl Fn(usize) -> Option<Obj>,
        populate_existing: bool,
    ) -> PyResult<()> {
        if self.joined.is_empty() {
            return Ok(());
        }
        // the buffer of the previous row, emptied, rather than a new one
        let mut row_joined = std::mem::take(&mut self.row_objs);
        row_joined.resize(self.joined.len(), None);
        for (ji, j) in self.joined.iter().enumerate() {
            let parent = match j.parent {
                super::query::JoinedParent::Entity(i) => match entity(i) {
                    Some(o) => o,
                    None => continue,
                },
                super::query::JoinedParent::Joined(k) => match row_joined.get(k).cloned().flatten()
                {
                    Some(o) => o,
                    None => continue,
                },
            };
            let child = session.load_row_columns_new(
                &self.targets[ji].target,
                r,
                j.offset,
                j.columns.as_ref(),
                populate_existing,
            )?;
            row_joined[ji] = child.as_ref().map(|(c, _)| c.clone());
            // the parent of the row before (a joined collection's rows
            // come grouped by parent) is found without hashing; `collected`
            // holds it, so its address is not reused meanwhile
            let parent_ptr = Rc::as_ptr(&parent);
            let slot = match self.last_slots.get(ji).copied().flatten() {
                Some((ptr, slot)) if ptr == parent_ptr => slot,
                _ => {
                    let collected = &mut self.collected;
                    let slot = *self.slots.entry((ji, parent_ptr)).or_insert_with(|| {
                        let fresh = !parent.borrow().dict.contains_key(&j.attr.key);
                        collected.push((ji, parent.clone(), ObjSet::default(), fresh));
                        collected.len() - 1
                    });
                    if self.last_slots.len() <= ji {
                        self.last_slots.resize(ji + 1, None);
                    }
                    self.last_slots[ji] = Some((parent_ptr, slot));
                    slot
                }
            };
            if let Some((c, new)) = child {
                if new {
                    self.collected[slot].2.push_new(&c);
                    self.per_joined[ji].push_new(&c);
                } else {
                    self.collected[slot].2.insert(&c);
                    self.per_joined[ji].insert(&c);
                }
            }
        }
        row_joined.clear();
        self.row_objs = row_joined;
        Ok(())
    }

    /// Sets each parent's attribute from the joined rows, where it was not
    /// loaded before.
    pub(super) fn assign(&mut self, session: &Session) {
        for (ji, parent, children, fresh) in std::mem::take(&mut self.collected) {
            if !fresh {
                continue;
            }
            let values: Vec<Value> = children
                .into_vec()
                .into_iter()
                .map(crate::orm::state::instance_value)
                .collect();
            let key = &self.joined[ji].attr.key;
            if self.targets[ji].uselist {
                session.set_loaded_collection(&parent, key, values);
            } else {
                session.set_loaded_scalar(
                    &parent,
                    key,
                    values.into_iter().next().unwrap_or(Value::None),
                );
            }
        }
    }

    /// True when a joined load is of a collection (the result needs
    /// `.unique()`).
    pub(super) fn has_collection(&self) -> bool {
        self.targets.iter().any(|t| t.uselist)
    }

    /// Runs what continues below each joined load on the objects it found
    /// (selectin loads, loader-option marks); true when a joined load was
    /// of a collection.
    pub(super) fn post_load(mut self, session: &Rc<Session>) -> PyResult<bool> {
        for (ji, j) in self.joined.iter().enumerate() {
            let objs = std::mem::take(&mut self.per_joined[ji]).into_vec();
            // The mappers this joined load hangs from, outermost first.
            let mut chain = vec![&j.attr.mapper];
            let mut at = j.parent;
            while let super::query::JoinedParent::Joined(k) = at
                && let Some(p) = self.joined.get(k)
                && k < ji
            {
                chain.push(&p.attr.mapper);
                at = p.parent;
            }
            chain.reverse();
            let _path = LoadPath::enter(&chain);
            session.post_load_query(&self.targets[ji].target, &objs, &j.child_options, None)?;
        }
        Ok(self.targets.iter().any(|t| t.uselist))
    }
}

/// What `loading.instances` does after reading an ORM query's rows: the
/// selectin and subquery eager loads of each entity (per `yield_per`
/// batch) and of the joined loads, and loader-option marks.
pub(super) struct PostLoads {
    session: Rc<Session>,
    query: Query,
    batches: Vec<Vec<ObjSet>>,
    joined: JoinedRows,
}

impl PostLoads {
    /// Runs the loads.
    ///
    /// Errors: the loads' database errors and `raiseload` errors.
    fn run(self) -> PyResult<()> {
        run_post_loads(&self.session, &self.query, self.batches, self.joined)
    }
}

/// Runs [`PostLoads`]' loads for `query`'s rows.
fn run_post_loads(
    session: &Rc<Session>,
    query: &Query,
    batches: Vec<Vec<ObjSet>>,
    joined: JoinedRows,
) -> PyResult<()> {
    for mut per_entity in batches {
        for (i, e) in query.entities.iter().enumerate() {
            if let Entity::Mapper(m, ..) = e {
                let objs = std::mem::take(&mut per_entity[i]).into_vec();
                session.post_load_query(m, &objs, &query.options, Some((query, i)))?;
            }
        }
    }
    joined.post_load(session)?;
    Ok(())
}

/// The post loads of a `session.execute()` result not read yet
/// ([`Session::defer_post_loads`]): the first read runs them, once.
pub struct PendingPostLoads(std::cell::RefCell<Option<PostLoads>>);

impl PendingPostLoads {
    /// Runs the loads if they have not run yet.
    ///
    /// Errors: the loads' database errors and `raiseload` errors.
    pub fn run(&self) -> PyResult<()> {
        let post = self.0.borrow_mut().take();
        match post {
            Some(p) => p.run(),
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for PendingPostLoads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingPostLoads")
    }
}

thread_local! {
    /// The mappers of the eager loads running now, outermost first (the
    /// query's entity, then each relationship's target): SQLAlchemy's
    /// effective load path, which a selectin or subquery load's own
    /// statement carries on (`_current_path`).
    static LOAD_PATH: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A stretch of the load path, taken off again when dropped (also when
/// the load fails).
pub(super) struct LoadPath(usize);

impl LoadPath {
    /// Appends `mappers` to the load path until the guard is dropped.
    pub(super) fn enter(mappers: &[&Rc<Mapper>]) -> LoadPath {
        LOAD_PATH.with(|p| {
            let mut p = p.borrow_mut();
            let len = p.len();
            p.extend(mappers.iter().map(|m| Rc::as_ptr(m) as usize));
            LoadPath(len)
        })
    }

    /// True when `mapper` is on the load path (`PathRegistry.contains_mapper`).
    fn contains(mapper: &Rc<Mapper>) -> bool {
        let at = Rc::as_ptr(mapper) as usize;
        LOAD_PATH.with(|p| p.borrow().contains(&at))
    }
}

impl Drop for LoadPath {
    fn drop(&mut self) {
        LOAD_PATH.with(|p| p.borrow_mut().truncate(self.0));
    }
}

/// The row keys of plain columns that repeat an earlier key renamed as
/// SQLAlchemy labels them in the SELECT list (`messages.id AS id_1`):
/// `select(User.id, Message.id)`'s `_fields` are `('id', 'id_1')`, a third
/// `id` is `id_2`.
/// Sets position `at` of `types` to `ty`, growing it as needed.
fn put(types: &mut Vec<Option<SqlType>>, at: usize, ty: Option<&SqlType>) {
    if types.len() <= at {
        types.resize(at + 1, None);
    }
    types[at] = ty.cloned();
}

/// [`row_types`] of a mapper's columns from `offset` (`loaded`: the
/// columns a load selects, `None`: all, in table order).
pub(super) fn mapper_types(
    types: &mut Vec<Option<SqlType>>,
    mapper: &Mapper,
    offset: usize,
    loaded: Option<&LoadedColumns>,
) {
    match loaded {
        None => {
            for (c, column) in mapper.table.columns.iter().enumerate() {
                put(types, offset + c, Some(&column.sql_type));
            }
        }
        Some(l) => {
            for (j, (k, _)) in l.exprs.iter().enumerate() {
                let ty = mapper.expressions.get(*k).and_then(|p| p.ty.as_ref());
                put(types, offset + j, ty);
            }
            for &c in &l.cols {
                if let (Some(at), Some(column)) =
                    (l.position(offset, c), mapper.table.columns.get(c))
                {
                    put(types, at, Some(&column.sql_type));
                }
            }
        }
    }
}

/// The type of each position of a query's rows, for `echo="debug"`'s
/// `Row (...)` lines: an entity's columns (and `column_property()`s), a
/// column's, a bundle's, each joined eager load's target columns; `None`
/// where a position's type is not known (its value is logged as read).
fn row_types(query: &Query, plan: &RowPlan, joined: &JoinedRows) -> Vec<Option<SqlType>> {
    let mut types = Vec::new();
    for (i, e) in query.entities.iter().enumerate() {
        let offset = plan.offsets.get(i).copied().unwrap_or(0);
        match e {
            Entity::Mapper(m, _, _) => {
                let loaded = plan.columns.get(i).and_then(Option::as_ref);
                mapper_types(&mut types, m, offset, loaded);
            }
            Entity::Column(c) => put(&mut types, offset, c.ty.as_ref()),
            Entity::Bundle(b) => {
                for (j, c) in b.exprs.iter().enumerate() {
                    put(&mut types, offset + j, c.ty.as_ref());
                }
            }
        }
    }
    for (j, target) in joined.joined.iter().zip(&joined.targets) {
        mapper_types(&mut types, &target.target, j.offset, j.columns.as_ref());
    }
    types
}

fn dedupe_column_keys(entities: &[Entity], keys: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(keys.len());
    let mut counters: std::collections::HashMap<String, usize> = Default::default();
    for (e, key) in entities.iter().zip(keys) {
        let plain = matches!(e, Entity::Column(c) if matches!(c.expr, Expr::Column(_)));
        if plain && key != crate::python::value::Row::NO_KEY && out.contains(&key) {
            let n = counters.entry(key.clone()).or_insert(0);
            let renamed = loop {
                *n += 1;
                let candidate = format!("{key}_{n}");
                if !out.contains(&candidate) {
                    break candidate;
                }
            };
            out.push(renamed);
        } else {
            out.push(key);
        }
    }
    out
}
