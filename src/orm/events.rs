//! SQLAlchemy's `sqlalchemy.orm.events` as this room fires them: the
//! points in a flush and a transaction where `SessionEvents` and
//! `MapperEvents` listeners run. The listeners themselves are Python
//! functions the rooms above hold (`sqlalchemy::event`); this room only
//! says what happened, through the hook they install ([`set_hook`]).
//! Nothing is fired, and nothing allocated, while no listener is
//! registered ([`set_active`]).

use std::cell::Cell;
use std::rc::Rc;

use super::mapper::Mapper;
use super::session::Session;
use super::state::Obj;
use crate::python::PyResult;

/// One event of the ORM, with what its listeners are called with.
pub enum OrmEvent<'a> {
    /// A `SessionEvents` event on `session` (`before_flush`, `after_flush`,
    /// `after_flush_postexec`, `before_commit`, `after_commit`,
    /// `after_rollback`).
    Session {
        /// The event's name.
        name: &'static str,
        /// The session it happens to.
        session: &'a Rc<Session>,
    },
    /// A `MapperEvents` persistence event (`before_insert`, `after_insert`,
    /// `before_update`, `after_update`, `before_delete`, `after_delete`)
    /// on `target`, an object of `mapper` flushed by `session`.
    Mapper {
        /// The event's name.
        name: &'static str,
        /// The object's mapper.
        mapper: &'a Rc<Mapper>,
        /// The object.
        target: &'a Obj,
        /// The flushing session (its connection is the listener's).
        session: &'a Rc<Session>,
    },
}

/// What runs the listeners of an event (installed by the interpreter).
pub type EventHook = fn(&OrmEvent) -> PyResult<()>;

thread_local! {
    static RAISED: std::cell::RefCell<Option<crate::python::PyErr>> = const { std::cell::RefCell::new(None) };
    static HOOK: Cell<Option<EventHook>> = const { Cell::new(None) };
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

/// Installs the function that runs listeners.
pub fn set_hook(hook: EventHook) {
    HOOK.with(|h| h.set(Some(hook)));
}

/// Whether any ORM listener is registered: while not, [`fire`] returns at
/// once.
pub fn set_active(active: bool) {
    ACTIVE.with(|a| a.set(active));
}

/// True while some ORM listener is registered.
pub fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// Runs the listeners of `event`; an error one raises is the caller's.
pub fn fire(event: OrmEvent) -> PyResult<()> {
    if !active() {
        return Ok(());
    }
    match HOOK.with(Cell::get) {
        Some(hook) => hook(&event),
        None => Ok(()),
    }
}

/// [`fire`] of a `SessionEvents` event.
pub fn session_event(name: &'static str, session: &Rc<Session>) -> PyResult<()> {
    if !active() {
        return Ok(());
    }
    fire(OrmEvent::Session { name, session })
}

/// [`fire`] of a `MapperEvents` event for each of `objects`.
pub fn mapper_event(
    name: &'static str,
    session: &Rc<Session>,
    mapper: &Rc<Mapper>,
    objects: &[Obj],
) -> PyResult<()> {
    if !active() {
        return Ok(());
    }
    for target in objects {
        fire(OrmEvent::Mapper {
            name,
            mapper,
            target,
            session,
        })?;
    }
    Ok(())
}

/// Keeps the exception a cursor-event listener raised, for [`take_error`]
/// (the engine room carries it as a [`crate::engine::events::LISTENER_ERROR`]).
pub fn stash_error(e: crate::python::PyErr) {
    RAISED.with(|r| *r.borrow_mut() = Some(e));
}

/// The exception a cursor-event listener raised, once.
pub fn take_error() -> Option<crate::python::PyErr> {
    RAISED.with(|r| r.borrow_mut().take())
}
