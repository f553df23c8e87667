//! `session.execute()`'s result (SQLAlchemy's `Result`/`ScalarResult`):
//! rows already fetched, read through `.all()`, `.first()`, `.scalars()`,
//! `.scalar_one()`, `.unique()` and friends.

use std::rc::Rc;

use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request};
use crate::python::hash_index::{HashIndex, HashKey};
use crate::python::value::{Row, Value};

/// A buffered result.
#[derive(Debug)]
pub struct ResultObj {
    pub keys: Rc<[String]>,
    /// Remaining rows, one value per column.
    pub rows: Vec<Vec<Value>>,
    /// `.scalars()` was called: rows read as their first value.
    pub scalars: bool,
    /// `.unique()` was called.
    pub unique: bool,
    /// A joined eager load against a collection: `.unique()` is required.
    pub requires_unique: bool,
    /// The result was consumed or closed.
    pub closed: bool,
    /// Rows an UPDATE/DELETE/INSERT matched (`result.rowcount`).
    pub rowcount: i64,
    /// A DML result (`CursorResult`) rather than rows of an ORM query.
    pub cursor: bool,
    /// `.mappings()` was called: rows read as `RowMapping`s (dicts).
    pub mappings: bool,
    /// A single-row INSERT's `inserted_primary_key` (a `Row`), or the
    /// message of the `InvalidRequestError` it raises (after `returning()`).
    pub inserted_primary_key: Option<Result<Value, String>>,
    /// An ORM bulk INSERT/UPDATE's result: an `IteratorResult` (no
    /// `rowcount`), as SQLAlchemy 2.0's `orm/bulk_persistence.py` returns.
    pub iterator: bool,
    /// The statement returns no rows (a DML statement without
    /// `returning()`): reading rows raises `ResourceClosedError`, as
    /// SQLAlchemy's auto-closed result.
    pub no_rows: bool,
    /// `.yield_per(n)`: the rows `fetchmany()` and `partitions()` take when
    /// not told a size, as SQLAlchemy 2.0 `Result.yield_per()`.
    pub yield_per: Option<usize>,
    /// `echo="debug"`: the `Row (...)` lines the result still owes the
    /// engine's log.
    pub row_log: Option<RowLogging>,
    /// An ORM result's selectin and subquery eager loads, run at its first
    /// read after its rows are logged ([`crate::orm::session::Session::defer_post_loads`]).
    pub post_loads: Option<Rc<super::loading::PendingPostLoads>>,
}

/// When a result logs its rows at `echo="debug"`.
#[derive(Debug)]
pub enum RowLogging {
    /// A Core result (`CursorResult`): each row as it is fetched (read,
    /// iterated), as its values' reprs.
    EachRow(crate::engine::echo::RowLog),
    /// An ORM result: every row of the cursor at the first read, as
    /// `loading.instances` fetches them all at once.
    AtFirstRead(super::session::RowLines),
}

/// A result's keys and raw rows, as `Result.freeze()` keeps them.
pub type FrozenRows = (Rc<[String]>, Vec<Vec<Value>>);

fn no_row_one() -> PyErr {
    PyErr::new(
        ExcType::NoResultFound,
        "No row was found when one was required",
    )
}

fn multiple_one() -> PyErr {
    PyErr::new(
        ExcType::MultipleResultsFound,
        "Multiple rows were found when exactly one was required",
    )
}

fn multiple_one_or_none() -> PyErr {
    PyErr::new(
        ExcType::MultipleResultsFound,
        "Multiple rows were found when one or none was required",
    )
}

impl ResultObj {
    pub fn new(keys: Vec<String>, rows: Vec<Vec<Value>>, requires_unique: bool) -> ResultObj {
        ResultObj {
            keys: Rc::from(keys),
            rows,
            scalars: false,
            unique: false,
            requires_unique,
            closed: false,
            rowcount: -1,
            cursor: false,
            mappings: false,
            inserted_primary_key: None,
            iterator: false,
            no_rows: false,
            yield_per: None,
            row_log: None,
            post_loads: None,
        }
    }

    /// `echo="debug"`: the result logs each row as it hands it out.
    pub fn log_each_row(&mut self, log: Option<crate::engine::echo::RowLog>) {
        self.row_log = log.map(RowLogging::EachRow);
    }

    /// `echo="debug"`: the result logs `lines` at its first read.
    pub fn log_at_first_read(&mut self, lines: super::session::RowLines) {
        self.row_log = Some(RowLogging::AtFirstRead(lines));
    }

    /// An ORM result's first read: SQLAlchemy's `loading.instances` chunk
    /// fetches the cursor's rows (logging them at `echo="debug"`), then runs
    /// the selectin and subquery eager loads, once.
    ///
    /// Errors: the loads' database and `raiseload` errors.
    fn first_read(&mut self) -> PyResult<()> {
        if let Some(post) = self.post_loads.take() {
            // an ORM result's `AtFirstRead` lines go out whatever the rows
            self.log_fetched(&[]);
            post.run()?;
        }
        Ok(())
    }

    /// True when `for row in result` hands out rows one at a time, each
    /// logged as it comes (a Core result at `echo="debug"`).
    pub fn iterates_lazily(&self) -> bool {
        matches!(self.row_log, Some(RowLogging::EachRow(_))) && !self.unique
    }

    /// `echo="debug"`: logs the rows being fetched (`rows`; a Core result
    /// logs each, an ORM result every row of its cursor at the first read).
    fn log_fetched(&mut self, rows: &[Vec<Value>]) {
        match &mut self.row_log {
            None => {}
            Some(RowLogging::EachRow(log)) => {
                for row in rows {
                    let reprs: Vec<String> =
                        row.iter().map(crate::python::format::repr_plain).collect();
                    log.row(&reprs);
                }
            }
            Some(RowLogging::AtFirstRead(lines)) => {
                lines.emit();
                self.row_log = None;
            }
        }
    }

    /// The next row of a lazy iteration ([`ResultObj::iterates_lazily`]),
    /// logged; `None` once exhausted.
    ///
    /// Errors: `ResourceClosedError` for a closed result.
    pub fn next_row(&mut self) -> PyResult<Option<Value>> {
        self.check()?;
        self.first_read()?;
        if self.rows.is_empty() {
            return Ok(None);
        }
        let row = self.rows.remove(0);
        self.log_fetched(std::slice::from_ref(&row));
        Ok(Some(self.row_value(row)))
    }

    /// `Result`, `ScalarResult` as `type(r).__name__`.
    pub fn python_type_name(&self) -> &'static str {
        if self.scalars {
            "ScalarResult"
        } else if self.mappings {
            "MappingResult"
        } else if self.cursor {
            "CursorResult"
        } else if self.iterator {
            "IteratorResult"
        } else {
            "ChunkedIteratorResult"
        }
    }

    /// Before a read that hands rows through SQLAlchemy's unique filter:
    /// [`ResultObj::check_open`], then, when a joined eager load of a
    /// collection needs uniquing and `unique()` was not called, its
    /// `InvalidRequestError` — only when a row is there to filter, as
    /// SQLAlchemy's `require_unique` runs per row (an empty result reads
    /// fine; `first()` and `scalar()` never filter).
    fn check(&self) -> PyResult<()> {
        self.check_open()?;
        if self.requires_unique && !self.unique && !self.rows.is_empty() {
            return Err(invalid_request(
                "The unique() method must be invoked on this Result, as it contains results that include joined eager loads against collections",
            ));
        }
        Ok(())
    }

    /// `ResourceClosedError` for a result that returns no rows or is closed.
    fn check_open(&self) -> PyResult<()> {
        if self.no_rows {
            return Err(PyErr::new(
                ExcType::ResourceClosedError,
                "This result object does not return rows. It has been closed automatically.",
            ));
        }
        if self.closed {
            return Err(PyErr::new(
                ExcType::ResourceClosedError,
                "This result object is closed.",
            ));
        }
        Ok(())
    }

    fn row_value(&self, row: Vec<Value>) -> Value {
        if self.scalars {
            row.into_iter().next().unwrap_or(Value::None)
        } else if self.mappings {
            // A `RowMapping`, which reads and prints as a dict.
            crate::python::types::row_mapping::row_mapping(Rc::new(
                Row {
                    keys: self.keys.clone(),
                    values: row,
                }
                .keyed(),
            ))
        } else {
            Value::Row(Rc::new(Row {
                keys: self.keys.clone(),
                values: row,
            }))
        }
    }

    /// Takes every remaining row, uniqued when asked (by identity for
    /// objects, by value otherwise).
    /// Takes the remaining rows. `close` is SQLAlchemy's hard close (after
    /// `first()`, `one()`, `scalar()`: later reads raise
    /// `ResourceClosedError`); without it the result is only exhausted, as
    /// after `all()` or iteration (later reads give no rows).
    /// `logged`: how many of them a Core result fetches (and logs) first
    /// (`first()`, `one()`: one row), else all.
    fn take_rows(&mut self, close: bool, logged: Option<usize>) -> Vec<Vec<Value>> {
        let rows = std::mem::take(&mut self.rows);
        let n = logged.unwrap_or(rows.len()).min(rows.len());
        self.log_fetched(&rows[..n]);
        self.closed |= close;
        if !self.unique {
            return rows;
        }
        let mut out: Vec<Vec<Value>> = Vec::new();
        let mut seen = HashIndex::new();
        let width = if self.scalars { 1 } else { usize::MAX };
        for r in rows {
            let key = &r[..r.len().min(width)];
            let hash = HashKey::of_key(key);
            let dup = seen
                .find(&hash, |i| {
                    let ok = &out[i][..out[i].len().min(width)];
                    ok.len() == key.len()
                        && ok
                            .iter()
                            .zip(key)
                            .all(|(a, b)| a.is(b) || crate::python::ops::values_equal(a, b))
                })
                .is_some();
            if !dup {
                seen.insert(hash, out.len());
                out.push(r);
            }
        }
        out
    }

    /// `.all()`
    pub fn all(&mut self) -> PyResult<Value> {
        self.check()?;
        self.first_read()?;
        let rows = self.take_rows(false, None);
        Ok(Value::list(
            rows.into_iter().map(|r| self.row_value(r)).collect(),
        ))
    }

    /// `.first()`: the first row (or None), closing the result.
    pub fn first(&mut self) -> PyResult<Value> {
        self.check_open()?;
        self.first_read()?;
        let rows = self.take_rows(true, Some(1));
        Ok(rows
            .into_iter()
            .next()
            .map(|r| self.row_value(r))
            .unwrap_or(Value::None))
    }

    /// `.one()`
    pub fn one(&mut self) -> PyResult<Value> {
        self.check()?;
        self.first_read()?;
        let mut rows = self.take_rows(true, Some(1));
        match rows.len() {
            0 => Err(no_row_one()),
            1 => Ok(self.row_value(rows.remove(0))),
            _ => Err(multiple_one()),
        }
    }

    /// `.one_or_none()`
    pub fn one_or_none(&mut self) -> PyResult<Value> {
        self.check()?;
        self.first_read()?;
        let mut rows = self.take_rows(true, Some(1));
        match rows.len() {
            0 => Ok(Value::None),
            1 => Ok(self.row_value(rows.remove(0))),
            _ => Err(multiple_one_or_none()),
        }
    }

    /// `.scalar()`: first column of the first row, or None.
    pub fn scalar(&mut self) -> PyResult<Value> {
        self.check_open()?;
        self.first_read()?;
        let rows = self.take_rows(true, Some(1));
        Ok(rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .unwrap_or(Value::None))
    }

    /// `.scalar_one()`
    pub fn scalar_one(&mut self) -> PyResult<Value> {
        self.scalars = true;
        self.one()
    }

    /// `.scalar_one_or_none()`
    pub fn scalar_one_or_none(&mut self) -> PyResult<Value> {
        self.scalars = true;
        self.one_or_none()
    }

    /// Rows for iteration (`for row in result`).
    pub fn iterate(&mut self) -> PyResult<Vec<Value>> {
        self.check()?;
        self.first_read()?;
        let rows = self.take_rows(false, None);
        Ok(rows.into_iter().map(|r| self.row_value(r)).collect())
    }

    /// `.fetchone()`: the next row, or `None` once exhausted.
    pub fn fetchone(&mut self) -> PyResult<Value> {
        self.check()?;
        self.first_read()?;
        if self.rows.is_empty() {
            return Ok(Value::None);
        }
        let row = self.rows.remove(0);
        self.log_fetched(std::slice::from_ref(&row));
        Ok(self.row_value(row))
    }

    /// `.fetchmany(size)`: the next `size` rows; every remaining row when
    /// not given (no `yield_per`), as SQLAlchemy's `_manyrow_getter`; an
    /// empty list once exhausted.
    pub fn fetchmany(&mut self, size: Option<usize>) -> PyResult<Value> {
        self.check()?;
        self.first_read()?;
        let n = size
            .or(self.yield_per)
            .unwrap_or(self.rows.len())
            .min(self.rows.len());
        let rows: Vec<Vec<Value>> = self.rows.drain(..n).collect();
        self.log_fetched(&rows);
        Ok(Value::list(
            rows.into_iter().map(|r| self.row_value(r)).collect(),
        ))
    }

    /// `.partitions(size)`: the remaining rows in lists of `size` (else
    /// the `yield_per` size, else all in one list), as SQLAlchemy 2.0
    /// `Result.partitions()` yields them; the result is exhausted.
    ///
    /// Errors: `ResourceClosedError` for a closed result.
    pub fn partitions(&mut self, size: Option<usize>) -> PyResult<Vec<Value>> {
        self.check_open()?;
        if size == Some(0) {
            // `islice(rows, 0)` is empty: no partition, nothing consumed.
            return Ok(Vec::new());
        }
        self.check()?;
        self.first_read()?;
        let rows = self.take_rows(false, None);
        let size = size.or(self.yield_per).unwrap_or(rows.len()).max(1);
        Ok(rows
            .chunks(size)
            .map(|part| Value::list(part.iter().map(|r| self.row_value(r.clone())).collect()))
            .collect())
    }

    /// `.freeze()`: the remaining raw rows, for a `FrozenResult`; the
    /// result is exhausted, as SQLAlchemy 2.0 `Result.freeze()`.
    ///
    /// Errors: `ResourceClosedError` for a closed result.
    pub fn freeze(&mut self) -> PyResult<FrozenRows> {
        self.check()?;
        self.first_read()?;
        let rows = self.take_rows(false, None);
        Ok((self.keys.clone(), rows))
    }

    /// `.close()`: a hard close; reading afterwards raises
    /// `ResourceClosedError`, as SQLAlchemy 2.0 `Result.close()`.
    pub fn close(&mut self) {
        self.rows.clear();
        // a result closed unread never runs its eager loads (and lets go
        // of the objects they were for)
        self.post_loads = None;
        self.closed = true;
    }

    /// `.columns(*cols)`: keeps the named (or indexed) columns, in that
    /// order, as SQLAlchemy 2.0 `Result.columns()`.
    ///
    /// Errors: `NoSuchColumnError` for a name the result has not,
    /// `IndexError` for an index out of range.
    pub fn columns(&mut self, cols: &[Value]) -> PyResult<()> {
        self.check_open()?;
        let mut picked = Vec::new();
        for c in cols {
            let i = match c {
                Value::Int(i) => {
                    let n = self.keys.len() as i64;
                    let j = if *i < 0 { i + n } else { *i };
                    if !(0..n).contains(&j) {
                        return Err(PyErr::new(ExcType::IndexError, "tuple index out of range"));
                    }
                    j as usize
                }
                Value::Str(name) => {
                    self.keys
                        .iter()
                        .position(|k| **k == **name)
                        .ok_or_else(|| {
                            PyErr::new(
                                ExcType::NoSuchColumnError,
                                format!("Could not locate column in row for column '{name}'"),
                            )
                        })?
                }
                _ => {
                    return Err(PyErr::unsupported(
                        "Result.columns() with column objects (use names or indexes)",
                    ));
                }
            };
            picked.push(i);
        }
        self.keys = picked.iter().map(|&i| self.keys[i].clone()).collect();
        for row in &mut self.rows {
            *row = picked
                .iter()
                .map(|&i| row.get(i).cloned().unwrap_or(Value::None))
                .collect();
        }
        Ok(())
    }

    /// `.keys()`
    pub fn keys(&self) -> Value {
        crate::python::types::row_mapping::key_view(&Row::visible_keys(&self.keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: i64) -> ResultObj {
        ResultObj::new(
            vec!["id".into()],
            (1..=n).map(|i| vec![Value::Int(i)]).collect(),
            false,
        )
    }

    fn lens(parts: &[Value]) -> Vec<usize> {
        parts
            .iter()
            .map(|p| match p {
                Value::List(l) => l.items.borrow().len(),
                _ => usize::MAX,
            })
            .collect()
    }

    #[test]
    fn partitions_follow_size_then_yield_per() {
        let mut r = ids(8);
        assert_eq!(lens(&r.partitions(Some(3)).unwrap()), [3, 3, 2]);
        let mut r2 = ids(5);
        r2.yield_per = Some(2);
        assert_eq!(lens(&r2.partitions(None).unwrap()), [2, 2, 1]);
        // islice(rows, 0): no partition, nothing consumed
        let mut r3 = ids(4);
        assert!(r3.partitions(Some(0)).unwrap().is_empty());
        assert_eq!(r3.rows.len(), 4);
    }

    #[test]
    fn yield_per_sets_fetchmany_default_and_first_closes() {
        let mut r = ids(5);
        r.yield_per = Some(2);
        match r.fetchmany(None).unwrap() {
            Value::List(l) => assert_eq!(l.items.borrow().len(), 2),
            other => panic!("{other:?}"),
        }
        assert!(!r.closed);
        r.all().unwrap();
        assert!(!r.closed, "all() exhausts without closing, as SQLAlchemy's");
        let mut r = ids(2);
        r.first().unwrap();
        assert!(r.closed);
    }

    #[test]
    fn freeze_takes_the_remaining_rows() {
        let mut r = ids(3);
        r.fetchone().unwrap();
        let (keys, rows) = r.freeze().unwrap();
        assert_eq!(&*keys, ["id".to_string()]);
        assert_eq!(rows.len(), 2);
        assert!(r.rows.is_empty());
    }
}
