//! Python's `operator` module as learners use it around SQLAlchemy code
//! (`sorted(users, key=attrgetter("name"))`): the operator functions
//! (`add`, `mul`, `eq`, `contains`, `getitem`, `not_` …, each the operator
//! the interpreter applies), and the callables `attrgetter`, `itemgetter`
//! and `methodcaller` make, with CPython 3.11's `repr`s and `TypeError`s.

use std::rc::Rc;

use super::eval::Interpreter;
use crate::language::ast::{BinOp, CmpOp, UnaryOp};
use crate::python::exceptions::{PyResult, type_error};
use crate::python::format::repr_plain;
use crate::python::object::PyObject;
use crate::python::value::Value;

type Kwargs = Vec<(String, Value)>;

/// The operator functions: name, and how many arguments each takes.
const FUNCTIONS: &[(&str, usize)] = &[
    ("abs", 1),
    ("add", 2),
    ("and_", 2),
    ("contains", 2),
    ("eq", 2),
    ("floordiv", 2),
    ("ge", 2),
    ("getitem", 2),
    ("gt", 2),
    ("inv", 1),
    ("invert", 1),
    ("is_", 2),
    ("is_not", 2),
    ("le", 2),
    ("lshift", 2),
    ("lt", 2),
    ("mod", 2),
    ("mul", 2),
    ("ne", 2),
    ("neg", 1),
    ("not_", 1),
    ("or_", 2),
    ("pos", 1),
    ("pow", 2),
    ("rshift", 2),
    ("sub", 2),
    ("truediv", 2),
    ("truth", 1),
    ("xor", 2),
];

/// A callable of `operator`, or what one made.
#[derive(Debug)]
pub enum Operator {
    /// `operator.add` … (a name of [`FUNCTIONS`])
    Function(&'static str),
    /// the `attrgetter`, `itemgetter` and `methodcaller` classes
    Class(&'static str),
    /// `attrgetter("a.b", "c")`: each name's dotted parts
    AttrGetter(Vec<String>),
    /// `itemgetter(1, "x")`
    ItemGetter(Vec<Value>),
    /// `methodcaller("name", *args, **kwargs)`
    MethodCaller {
        name: String,
        args: Vec<Value>,
        kwargs: Kwargs,
    },
}

impl PyObject for Operator {
    fn type_name(&self) -> String {
        match self {
            Operator::Function(_) => "builtin_function_or_method",
            Operator::Class(_) => "type",
            Operator::AttrGetter(_) => "attrgetter",
            Operator::ItemGetter(_) => "itemgetter",
            Operator::MethodCaller { .. } => "methodcaller",
        }
        .into()
    }
    fn repr(&self) -> String {
        let join = |parts: Vec<String>| parts.join(", ");
        match self {
            Operator::Function(name) => format!("<built-in function {name}>"),
            Operator::Class(name) => format!("<class 'operator.{name}'>"),
            Operator::AttrGetter(names) => format!(
                "operator.attrgetter({})",
                join(names.iter().map(|n| repr_plain(&Value::str(n))).collect())
            ),
            Operator::ItemGetter(items) => format!(
                "operator.itemgetter({})",
                join(items.iter().map(repr_plain).collect())
            ),
            Operator::MethodCaller { name, args, kwargs } => {
                let mut parts = vec![repr_plain(&Value::str(name))];
                parts.extend(args.iter().map(repr_plain));
                parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", repr_plain(v))));
                format!("operator.methodcaller({})", join(parts))
            }
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `operator.NAME`, when the tutor has it.
pub fn module_value(name: &str) -> Option<Value> {
    let op = match name {
        "attrgetter" => Operator::Class("attrgetter"),
        "itemgetter" => Operator::Class("itemgetter"),
        "methodcaller" => Operator::Class("methodcaller"),
        _ => Operator::Function(FUNCTIONS.iter().find(|(n, _)| *n == name)?.0),
    };
    Some(Value::native(op))
}

/// `TypeError: attrgetter expected 1 argument, got 0` for a call with
/// other than one argument, or keywords.
fn one(what: &str, args: Vec<Value>, kwargs: &Kwargs) -> PyResult<Value> {
    if !kwargs.is_empty() {
        return Err(type_error(format!("{what}() takes no keyword arguments")));
    }
    match <[Value; 1]>::try_from(args) {
        Ok([v]) => Ok(v),
        Err(args) => Err(type_error(format!(
            "{what} expected 1 argument, got {}",
            args.len()
        ))),
    }
}

/// Calls one of [`Operator`], as CPython 3.11's `_operator`.
pub fn call(
    interp: &mut Interpreter,
    op: &Operator,
    mut args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match op {
        Operator::Function(name) => {
            let arity = FUNCTIONS
                .iter()
                .find(|(n, _)| n == name)
                .map_or(2, |(_, a)| *a);
            if !kwargs.is_empty() {
                return Err(type_error(format!(
                    "_operator.{name}() takes no keyword arguments"
                )));
            }
            if args.len() != arity {
                return Err(type_error(if arity == 1 {
                    format!(
                        "_operator.{name}() takes exactly one argument ({} given)",
                        args.len()
                    )
                } else {
                    format!("{name} expected 2 arguments, got {}", args.len())
                }));
            }
            apply(interp, name, &args)
        }
        Operator::Class("methodcaller") => {
            if args.is_empty() {
                return Err(type_error(
                    "methodcaller needs at least one argument, the method name",
                ));
            }
            let Value::Str(name) = args.remove(0) else {
                return Err(type_error("method name must be a string"));
            };
            Ok(Value::native(Operator::MethodCaller {
                name: name.to_string(),
                args,
                kwargs,
            }))
        }
        Operator::Class(class) => {
            if !kwargs.is_empty() {
                return Err(type_error(format!("{class}() takes no keyword arguments")));
            }
            if args.is_empty() {
                return Err(type_error(format!("{class} expected 1 argument, got 0")));
            }
            if *class == "itemgetter" {
                return Ok(Value::native(Operator::ItemGetter(args)));
            }
            let mut names = Vec::new();
            for a in args {
                match a {
                    Value::Str(s) => names.push(s.to_string()),
                    _ => return Err(type_error("attribute name must be a string")),
                }
            }
            Ok(Value::native(Operator::AttrGetter(names)))
        }
        Operator::AttrGetter(names) => {
            let obj = one("attrgetter", args, &kwargs)?;
            let mut found = Vec::new();
            for name in names {
                let mut v = obj.clone();
                for part in name.split('.') {
                    v = super::methods::get_attr(interp, &v, part)?;
                }
                found.push(v);
            }
            Ok(tuple_or_one(found))
        }
        Operator::ItemGetter(items) => {
            let obj = one("itemgetter", args, &kwargs)?;
            let mut found = Vec::new();
            for key in items {
                found.push(super::methods::get_item(interp, &obj, key)?);
            }
            Ok(tuple_or_one(found))
        }
        Operator::MethodCaller {
            name,
            args: bound,
            kwargs: bound_kw,
        } => {
            let obj = one("methodcaller", args, &kwargs)?;
            let method = super::methods::get_attr(interp, &obj, name)?;
            interp.call(&method, bound.clone(), bound_kw.clone())
        }
    }
}

/// One value as it is, several as a tuple (`itemgetter(0, 2)(row)`).
fn tuple_or_one(mut found: Vec<Value>) -> Value {
    if found.len() == 1 {
        found.remove(0)
    } else {
        Value::tuple(found)
    }
}

/// The operator `name` applied to `args` (their count checked).
fn apply(interp: &mut Interpreter, name: &str, args: &[Value]) -> PyResult<Value> {
    let a = &args[0];
    let b = args.get(1).unwrap_or(&Value::None);
    let bin = |op| -> Option<BinOp> { Some(op) };
    let binop = match name {
        "add" => bin(BinOp::Add),
        "sub" => bin(BinOp::Sub),
        "mul" => bin(BinOp::Mul),
        "truediv" => bin(BinOp::Div),
        "floordiv" => bin(BinOp::FloorDiv),
        "mod" => bin(BinOp::Mod),
        "pow" => bin(BinOp::Pow),
        "and_" => bin(BinOp::BitAnd),
        "or_" => bin(BinOp::BitOr),
        "xor" => bin(BinOp::BitXor),
        "lshift" => bin(BinOp::LShift),
        "rshift" => bin(BinOp::RShift),
        _ => None,
    };
    if let Some(op) = binop {
        return interp.binary(op, a, b);
    }
    let cmp = match name {
        "eq" => Some(CmpOp::Eq),
        "ne" => Some(CmpOp::NotEq),
        "lt" => Some(CmpOp::Lt),
        "le" => Some(CmpOp::LtE),
        "gt" => Some(CmpOp::Gt),
        "ge" => Some(CmpOp::GtE),
        "is_" => Some(CmpOp::Is),
        "is_not" => Some(CmpOp::IsNot),
        _ => None,
    };
    if let Some(op) = cmp {
        return interp.compare(op, a, b);
    }
    match name {
        // `contains(a, b)` is `b in a`
        "contains" => interp.compare(CmpOp::In, b, a),
        "getitem" => super::methods::get_item(interp, a, b),
        "neg" => interp.unary(UnaryOp::Neg, a),
        "pos" => interp.unary(UnaryOp::Pos, a),
        "inv" | "invert" => interp.unary(UnaryOp::Invert, a),
        "not_" => Ok(Value::Bool(!interp.truthy(a)?)),
        "truth" => Ok(Value::Bool(interp.truthy(a)?)),
        "abs" => interp.call(
            &Value::Builtin(crate::python::value::Builtin::Abs),
            vec![a.clone()],
            Vec::new(),
        ),
        _ => Err(type_error(format!("operator.{name} is not callable"))),
    }
}
