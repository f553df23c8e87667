//! Python's `pprint` module: `pprint()`, `pp()` and `pformat()`, laid out as
//! CPython 3.11's `PrettyPrinter` (`indent=1`, `width=80`): a value whose
//! one-line repr fits is written as it is, else a dict, list or tuple is
//! broken one item a line, recursively; dict keys sorted (`sort_dicts`).

use std::rc::Rc;

use crate::python::signature::Signature;
use crate::python::{ExcType, Kwargs, PyErr, PyObject, PyResult, Value};

use super::Interpreter;

/// A function of the `pprint` module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PprintFunction {
    Pprint,
    Pp,
    Pformat,
}

impl PprintFunction {
    fn name(self) -> &'static str {
        match self {
            PprintFunction::Pprint => "pprint",
            PprintFunction::Pp => "pp",
            PprintFunction::Pformat => "pformat",
        }
    }
}

impl PyObject for PprintFunction {
    fn type_name(&self) -> String {
        "function".into()
    }
    fn repr(&self) -> String {
        format!(
            "<function {} at {}>",
            self.name(),
            crate::python::format::address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `from pprint import NAME`: the tutor's value, when it has one.
pub fn module_value(name: &str) -> Option<Value> {
    match name {
        "pprint" => Some(Value::native(PprintFunction::Pprint)),
        "pp" => Some(Value::native(PprintFunction::Pp)),
        "pformat" => Some(Value::native(PprintFunction::Pformat)),
        _ => None,
    }
}

/// Calls `pprint(object, stream=None, indent=1, width=80, depth=None, *,
/// compact=False, sort_dicts=True, underscore_numbers=False)` (`pp`: with
/// `sort_dicts=False`), or `pformat(...)`, which returns the text.
///
/// Errors: `NotImplementedError` for the arguments the tutor does not lay
/// out (`stream`, `indent` other than 1, `depth`, `compact`,
/// `underscore_numbers`); a learner `__repr__`'s errors.
pub fn call(
    interp: &mut Interpreter,
    f: PprintFunction,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let params: &[&str] = match f {
        PprintFunction::Pformat => &[
            "object",
            "indent=",
            "width=",
            "depth=",
            "*",
            "compact=",
            "sort_dicts=",
            "underscore_numbers=",
        ],
        _ => &[
            "object",
            "stream=",
            "indent=",
            "width=",
            "depth=",
            "*",
            "compact=",
            "sort_dicts=",
            "underscore_numbers=",
        ],
    };
    let b = Signature::function(f.name(), params).bind(args, kwargs)?;
    let given = |n: &str| b.given(n).filter(|v| !matches!(v, Value::None));
    if given("stream").is_some() {
        return Err(PyErr::unsupported("pprint(..., stream=...)"));
    }
    if given("depth").is_some() {
        return Err(PyErr::unsupported("pprint(..., depth=...)"));
    }
    for flag in ["compact", "underscore_numbers"] {
        if given(flag).is_some_and(Value::truthy) {
            return Err(PyErr::unsupported(format!("pprint(..., {flag}=True)")));
        }
    }
    match given("indent") {
        None | Some(Value::Int(1)) => {}
        Some(_) => return Err(PyErr::unsupported("pprint(..., indent=...) other than 1")),
    }
    let width = match given("width") {
        None => 80,
        Some(Value::Int(w)) if *w > 0 => *w as usize,
        Some(Value::Int(_)) => {
            return Err(PyErr::new(ExcType::ValueError, "width must be != 0"));
        }
        Some(other) => {
            return Err(PyErr::new(
                ExcType::TypeError,
                format!(
                    "'<' not supported between instances of 'int' and '{}'",
                    other.type_name()
                ),
            ));
        }
    };
    let sort_dicts = match given("sort_dicts") {
        Some(v) => v.truthy(),
        None => f != PprintFunction::Pp,
    };
    let object = b.required("object")?.clone();
    let mut printer = Printer {
        interp,
        width,
        sort_dicts,
        out: String::new(),
    };
    printer.format(&object, 0, 0)?;
    let text = printer.out;
    if f == PprintFunction::Pformat {
        return Ok(Value::str(&text));
    }
    interp.write(&text);
    interp.write("\n");
    Ok(Value::None)
}

/// CPython's `PrettyPrinter` with `indent=1`.
struct Printer<'a> {
    interp: &'a mut Interpreter,
    width: usize,
    sort_dicts: bool,
    out: String,
}

impl Printer<'_> {
    /// A dict's items, sorted by key when `sort_dicts` and the keys are all
    /// strings or all numbers (CPython's `_safe_key` order for those).
    fn dict_items(&self, d: &crate::python::value::DictObj) -> PyResult<Vec<(Value, Value)>> {
        let mut items: Vec<(Value, Value)> = d.iter().cloned().collect();
        if !self.sort_dicts || items.len() < 2 {
            return Ok(items);
        }
        if items.iter().all(|(k, _)| matches!(k, Value::Str(_))) {
            items.sort_by(|(a, _), (b, _)| match (a, b) {
                (Value::Str(a), Value::Str(b)) => a.cmp(b),
                _ => std::cmp::Ordering::Equal,
            });
            return Ok(items);
        }
        if items.iter().all(|(k, _)| matches!(k, Value::Int(_))) {
            items.sort_by_key(|(k, _)| match k {
                Value::Int(n) => *n,
                _ => 0,
            });
            return Ok(items);
        }
        Err(PyErr::unsupported(
            "pprint of a dict whose keys are not all strings or all integers",
        ))
    }

    /// `_safe_repr`: the one-line repr, dicts with their keys sorted.
    fn safe_repr(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Dict(d) => {
                let items = self.dict_items(&d.borrow())?;
                let mut parts = Vec::with_capacity(items.len());
                for (k, x) in &items {
                    parts.push(format!("{}: {}", self.safe_repr(k)?, self.safe_repr(x)?));
                }
                Ok(format!("{{{}}}", parts.join(", ")))
            }
            Value::List(l) if l.owner.is_none() => {
                let items: Vec<Value> = l.items.borrow().clone();
                let parts = items
                    .iter()
                    .map(|x| self.safe_repr(x))
                    .collect::<PyResult<Vec<_>>>()?;
                Ok(format!("[{}]", parts.join(", ")))
            }
            Value::Tuple(t) => {
                let parts = t
                    .iter()
                    .map(|x| self.safe_repr(x))
                    .collect::<PyResult<Vec<_>>>()?;
                Ok(if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                })
            }
            other => self.interp.repr(other),
        }
    }

    /// `_format`: `v` at column `indent`, leaving `allowance` characters
    /// for what closes after it.
    fn format(&mut self, v: &Value, indent: usize, allowance: usize) -> PyResult<()> {
        let rep = self.safe_repr(v)?;
        let max_width = self.width.saturating_sub(indent + allowance);
        if rep.chars().count() <= max_width {
            self.out.push_str(&rep);
            return Ok(());
        }
        match v {
            Value::Dict(d) => {
                let items = self.dict_items(&d.borrow())?;
                self.out.push('{');
                self.dict_items_out(&items, indent + 1, allowance + 1)?;
                self.out.push('}');
            }
            Value::List(l) if l.owner.is_none() => {
                let items: Vec<Value> = l.items.borrow().clone();
                self.out.push('[');
                self.items_out(&items, indent + 1, allowance + 1)?;
                self.out.push(']');
            }
            Value::Tuple(t) => {
                let end = if t.len() == 1 { ",)" } else { ")" };
                self.out.push('(');
                self.items_out(&t.clone(), indent + 1, allowance + end.len())?;
                self.out.push_str(end);
            }
            Value::Str(_) | Value::Set(..) => {
                return Err(PyErr::unsupported(format!(
                    "pprint of a {} wider than the line",
                    v.type_name()
                )));
            }
            v if crate::orm::state::as_instance(v)
                .is_some_and(|o| o.borrow().mapper.dataclass_fields.is_some()) =>
            {
                return Err(PyErr::unsupported(
                    "pprint of a dataclass instance wider than the line",
                ));
            }
            _ => self.out.push_str(&rep),
        }
        Ok(())
    }

    /// `_format_dict_items`, at column `indent` (already one in).
    fn dict_items_out(
        &mut self,
        items: &[(Value, Value)],
        indent: usize,
        allowance: usize,
    ) -> PyResult<()> {
        for (i, (k, v)) in items.iter().enumerate() {
            let last = i + 1 == items.len();
            let rep = self.safe_repr(k)?;
            self.out.push_str(&rep);
            self.out.push_str(": ");
            let at = indent + rep.chars().count() + 2;
            self.format(v, at, if last { allowance } else { 1 })?;
            if !last {
                self.out.push_str(",\n");
                self.out.push_str(&" ".repeat(indent));
            }
        }
        Ok(())
    }

    /// `_format_items`, at column `indent` (already one in).
    fn items_out(&mut self, items: &[Value], indent: usize, allowance: usize) -> PyResult<()> {
        for (i, v) in items.iter().enumerate() {
            let last = i + 1 == items.len();
            if i > 0 {
                self.out.push_str(",\n");
                self.out.push_str(&" ".repeat(indent));
            }
            self.format(v, indent, if last { allowance } else { 1 })?;
        }
        Ok(())
    }
}
