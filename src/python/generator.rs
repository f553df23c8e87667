//! Python's generator objects: what calling a `def` that contains `yield`
//! returns (`<generator object get_db at 0x…>`), its `async def` twin
//! (`<async_generator object …>`), and the tutor's other lazy iterators
//! (`iter(list)`, generator expressions). Nothing of the body runs until
//! the generator is resumed; the interpreter owns the paused frame (its
//! locals and where it stopped), kept here as an opaque box.
//!
//! A generator left suspended is closed when its last reference goes, as
//! CPython does by reference counting: [`Drop`] hands its frame to
//! [`take_dropped`], and the interpreter throws `GeneratorExit` into it
//! after the statement that dropped it, so its `finally:` runs then.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use super::PyObject;
use super::vm::Vm;

/// Where a generator is: paused (or not yet started) with its frame, running
/// now, or finished.
pub enum GenState {
    /// The interpreter's frame, to resume.
    Suspended(Box<dyn Any>),
    /// Running now: resuming it again is `ValueError: generator already
    /// executing`.
    Running,
    Finished,
}

/// A generator, async generator or iterator object.
pub struct Generator {
    /// `generator`, `async_generator`, `list_iterator`, ….
    pub type_name: &'static str,
    /// `__qualname__`: the function's name, or `<genexpr>`.
    pub qualname: String,
    pub state: RefCell<GenState>,
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Generator({} {})", self.type_name, self.qualname)
    }
}

thread_local! {
    /// Frames of generators dropped while suspended, to be closed.
    static DROPPED: RefCell<Vec<Box<dyn Any>>> = const { RefCell::new(Vec::new()) };
}

/// The frames of generators dropped since the last call, oldest first.
pub fn take_dropped() -> Vec<Box<dyn Any>> {
    DROPPED.with(|d| std::mem::take(&mut *d.borrow_mut()))
}

/// Whether any dropped generator waits to be closed (cheap).
pub fn any_dropped() -> bool {
    DROPPED.with(|d| !d.borrow().is_empty())
}

impl Generator {
    /// A new generator over `frame`, not started.
    pub fn value(
        type_name: &'static str,
        qualname: impl Into<String>,
        frame: Box<dyn Any>,
    ) -> super::Value {
        super::Value::native(Generator {
            type_name,
            qualname: qualname.into(),
            state: RefCell::new(GenState::Suspended(frame)),
        })
    }

    /// Whether this is an `async def` generator.
    pub fn is_async(&self) -> bool {
        self.type_name == "async_generator"
    }
}

impl Drop for Generator {
    fn drop(&mut self) {
        let state = std::mem::replace(self.state.get_mut(), GenState::Finished);
        if let GenState::Suspended(frame) = state {
            // A thread being torn down has no interpreter left to close it.
            let _ = DROPPED.try_with(|d| {
                if let Ok(mut d) = d.try_borrow_mut() {
                    d.push(frame);
                }
            });
        }
    }
}

impl PyObject for Generator {
    fn type_name(&self) -> String {
        self.type_name.into()
    }
    fn repr(&self) -> String {
        let at = super::format::address_of(self as *const Generator);
        match self.type_name {
            "generator" | "async_generator" => {
                format!("<{} object {} at {at}>", self.type_name, self.qualname)
            }
            other => format!("<{other} object at {at}>"),
        }
    }
    /// A generator (and a generator expression) is its own iterator, so
    /// `next()`, `for`, `list()` and the iterator built-ins run it lazily;
    /// an async generator is not (`'async_generator' object is not an
    /// iterator`), as CPython's.
    fn is_iterator(&self) -> bool {
        !self.is_async()
    }
    /// The next value the generator yields (its body runs to the next
    /// `yield` through [`Vm::generator_next`]); at its end, `StopIteration`
    /// with its `return` value, which `next()` raises and `for` takes as
    /// the end.
    fn next_item(&self, vm: &mut dyn Vm) -> super::PyResult<Option<super::Value>> {
        vm.generator_next(self).map(Some)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}
