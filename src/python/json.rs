//! Python's `json` module, as CPython 3.11's: `json.dumps` with `indent`,
//! `sort_keys`, `separators`, `default`, `ensure_ascii`, `skipkeys` and
//! `allow_nan`, and `json.loads` with `object_hook`, raising
//! `json.JSONDecodeError` worded as CPython's scanner words it (`Expecting
//! value: line 1 column 1 (char 0)`). Each function is a
//! [`Builtin::Json`] with its entry in [`JSON_FUNCTIONS`].

use std::rc::Rc;

use super::builtins::BuiltinFunction;
use super::exceptions::{PyErr, PyResult, type_error};
use super::signature::{ArgStyle, Bound, Signature};
use super::value::{Builtin, DictObj, Value};
use super::vm::Vm;
use super::{ExcType, ops};

/// `json.name` for what the tutor has.
pub fn module_value(name: &str) -> Option<Value> {
    match name {
        "dumps" => Some(Value::Builtin(Builtin::Json("dumps"))),
        "loads" => Some(Value::Builtin(Builtin::Json("loads"))),
        "JSONDecodeError" => Some(Value::ExceptionClass(ExcType::JSONDecodeError)),
        _ => None,
    }
}

/// The `json` functions the tutor has.
pub static JSON_FUNCTIONS: &[BuiltinFunction] = &[
    BuiltinFunction {
        builtin: Builtin::Json("dumps"),
        sig: Signature::builtin(
            "dumps",
            &[
                "obj",
                "*",
                "skipkeys=",
                "ensure_ascii=",
                "check_circular=",
                "allow_nan=",
                "cls=!",
                "indent=",
                "separators=",
                "default=",
                "sort_keys=",
                "**kw",
            ],
            ArgStyle::Python,
        ),
        call: dumps,
    },
    BuiltinFunction {
        builtin: Builtin::Json("loads"),
        sig: Signature::builtin(
            "loads",
            &[
                "s",
                "*",
                "cls=!",
                "object_hook=",
                "parse_float=!",
                "parse_int=!",
                "parse_constant=!",
                "object_pairs_hook=!",
                "**kw",
            ],
            ArgStyle::Python,
        ),
        call: loads,
    },
];

/// How `dumps` writes: its options, and the containers being written (for
/// `Circular reference detected`).
struct Encoder<'a> {
    indent: Option<String>,
    item_sep: String,
    key_sep: String,
    sort_keys: bool,
    skipkeys: bool,
    ensure_ascii: bool,
    allow_nan: bool,
    default: Option<&'a Value>,
    stack: Vec<usize>,
}

fn text_arg(v: &Value, what: &str) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(type_error(format!(
            "{what} must be str, not {}",
            other.type_name()
        ))),
    }
}

fn dumps(vm: &mut dyn Vm, b: Bound) -> PyResult<Value> {
    if let Some((k, _)) = b.varkw.first() {
        return Err(PyErr::unsupported(format!("json.dumps({k}=...)")));
    }
    let truth = |vm: &mut dyn Vm, name: &str, default: bool| -> PyResult<bool> {
        match b.get(name) {
            Some(v) => vm.truthy(v),
            None => Ok(default),
        }
    };
    let indent = match b.get("indent") {
        None | Some(Value::None) => None,
        Some(Value::Int(n)) => Some(" ".repeat((*n).max(0) as usize)),
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(other) => {
            return Err(type_error(format!(
                "can't multiply sequence by non-int of type '{}'",
                other.type_name()
            )));
        }
    };
    let (item_sep, key_sep) = match b.get("separators") {
        None | Some(Value::None) => (
            if indent.is_some() { "," } else { ", " }.to_string(),
            ": ".to_string(),
        ),
        Some(v) => match ops::sequence_items(v).as_deref() {
            Some([i, k]) => (text_arg(i, "separator")?, text_arg(k, "separator")?),
            _ => {
                return Err(PyErr::new(
                    ExcType::ValueError,
                    "too many values to unpack (expected 2)",
                ));
            }
        },
    };
    let mut enc = Encoder {
        indent,
        item_sep,
        key_sep,
        sort_keys: truth(vm, "sort_keys", false)?,
        skipkeys: truth(vm, "skipkeys", false)?,
        ensure_ascii: truth(vm, "ensure_ascii", true)?,
        allow_nan: truth(vm, "allow_nan", true)?,
        default: b.get("default").filter(|d| !matches!(d, Value::None)),
        stack: Vec::new(),
    };
    let mut out = String::new();
    enc.encode(vm, &b.value("obj"), 0, &mut out)?;
    Ok(Value::str(&out))
}

/// A string as JSON writes it (`encode_basestring[_ascii]`).
pub fn quote(s: &str, ensure_ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) > 0x7e) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Encoder<'_> {
    fn float(&self, f: f64) -> PyResult<String> {
        if f.is_finite() {
            return Ok(crate::language::repr::float_repr(f));
        }
        if !self.allow_nan {
            return Err(PyErr::new(
                ExcType::ValueError,
                "Out of range float values are not JSON compliant",
            ));
        }
        Ok(if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .into())
    }

    fn newline(&self, level: usize, out: &mut String) {
        if let Some(ind) = &self.indent {
            out.push('\n');
            for _ in 0..level {
                out.push_str(ind);
            }
        }
    }

    fn enter(&mut self, id: usize) -> PyResult<()> {
        if self.stack.contains(&id) {
            return Err(PyErr::new(
                ExcType::ValueError,
                "Circular reference detected",
            ));
        }
        self.stack.push(id);
        Ok(())
    }

    fn encode(
        &mut self,
        vm: &mut dyn Vm,
        v: &Value,
        level: usize,
        out: &mut String,
    ) -> PyResult<()> {
        match v {
            Value::None => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&self.float(*f)?),
            Value::Str(s) => out.push_str(&quote(s, self.ensure_ascii)),
            Value::List(l) => {
                let items = l.items_mut().clone();
                self.enter(Rc::as_ptr(l) as usize)?;
                self.array(vm, &items, level, out)?;
                self.stack.pop();
            }
            Value::Tuple(t) => {
                let items = t.to_vec();
                self.array(vm, &items, level, out)?;
            }
            Value::Dict(d) => {
                let pairs: Vec<(Value, Value)> = d.borrow().iter().cloned().collect();
                self.enter(Rc::as_ptr(d) as usize)?;
                self.object(vm, pairs, level, out)?;
                self.stack.pop();
            }
            other => {
                let Some(default) = self.default else {
                    return Err(type_error(format!(
                        "Object of type {} is not JSON serializable",
                        other.type_name()
                    )));
                };
                if self.stack.len() > 900 {
                    return Err(PyErr::new(
                        ExcType::ValueError,
                        "Circular reference detected",
                    ));
                }
                let replaced = vm.call_value(default, vec![other.clone()], Vec::new())?;
                self.stack.push(0);
                let r = self.encode(vm, &replaced, level, out);
                self.stack.pop();
                r?;
            }
        }
        Ok(())
    }

    fn array(
        &mut self,
        vm: &mut dyn Vm,
        items: &[Value],
        level: usize,
        out: &mut String,
    ) -> PyResult<()> {
        if items.is_empty() {
            out.push_str("[]");
            return Ok(());
        }
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(&self.item_sep);
            }
            self.newline(level + 1, out);
            self.encode(vm, item, level + 1, out)?;
        }
        self.newline(level, out);
        out.push(']');
        Ok(())
    }

    fn object(
        &mut self,
        vm: &mut dyn Vm,
        mut pairs: Vec<(Value, Value)>,
        level: usize,
        out: &mut String,
    ) -> PyResult<()> {
        if pairs.is_empty() {
            out.push_str("{}");
            return Ok(());
        }
        if self.sort_keys {
            let mut err = None;
            pairs.sort_by(|a, b| {
                ops::compare_values(&a.0, &b.0, "<").unwrap_or_else(|e| {
                    err.get_or_insert(e);
                    std::cmp::Ordering::Equal
                })
            });
            if let Some(e) = err {
                return Err(e);
            }
        }
        out.push('{');
        let mut first = true;
        for (k, v) in &pairs {
            let key = match k {
                Value::Str(s) => s.to_string(),
                Value::Float(f) => self.float(*f)?,
                Value::Bool(true) => "true".into(),
                Value::Bool(false) => "false".into(),
                Value::None => "null".into(),
                Value::Int(i) => i.to_string(),
                _ if self.skipkeys => continue,
                other => {
                    return Err(type_error(format!(
                        "keys must be str, int, float, bool or None, not {}",
                        other.type_name()
                    )));
                }
            };
            if !first {
                out.push_str(&self.item_sep);
            }
            first = false;
            self.newline(level + 1, out);
            out.push_str(&quote(&key, self.ensure_ascii));
            out.push_str(&self.key_sep);
            self.encode(vm, v, level + 1, out)?;
        }
        self.newline(level, out);
        out.push('}');
        Ok(())
    }
}

fn loads(vm: &mut dyn Vm, b: Bound) -> PyResult<Value> {
    if let Some((k, _)) = b.varkw.first() {
        return Err(PyErr::unsupported(format!("json.loads({k}=...)")));
    }
    let text = match b.value("s") {
        Value::Str(s) => s,
        other => {
            return Err(type_error(format!(
                "the JSON object must be str, bytes or bytearray, not {}",
                other.type_name()
            )));
        }
    };
    let hook = b.get("object_hook").filter(|h| !matches!(h, Value::None));
    let mut p = Parser {
        chars: text.chars().collect(),
        hook,
    };
    p.document(vm)
}

/// `json.loads`' scanner, over the text's code points (CPython counts
/// `char` positions in them).
struct Parser<'a> {
    chars: Vec<char>,
    hook: Option<&'a Value>,
}

impl Parser<'_> {
    /// `JSONDecodeError: msg: line L column C (char P)`.
    fn error(&self, msg: &str, pos: usize) -> PyErr {
        let before = &self.chars[..pos.min(self.chars.len())];
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let column = match before.iter().rposition(|c| *c == '\n') {
            Some(nl) => pos - nl,
            None => pos + 1,
        };
        PyErr::new(
            ExcType::JSONDecodeError,
            format!("{msg}: line {line} column {column} (char {pos})"),
        )
    }

    fn skip_ws(&self, mut pos: usize) -> usize {
        while self
            .chars
            .get(pos)
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            pos += 1;
        }
        pos
    }

    fn document(&mut self, vm: &mut dyn Vm) -> PyResult<Value> {
        let start = self.skip_ws(0);
        let (v, end) = self.value(vm, start)?;
        let end = self.skip_ws(end);
        if end != self.chars.len() {
            return Err(self.error("Extra data", end));
        }
        Ok(v)
    }

    fn starts_with(&self, pos: usize, word: &str) -> bool {
        word.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(pos + i) == Some(&c))
    }

    fn value(&mut self, vm: &mut dyn Vm, pos: usize) -> PyResult<(Value, usize)> {
        let expecting = || self.error("Expecting value", pos);
        let Some(c) = self.chars.get(pos).copied() else {
            return Err(expecting());
        };
        let words: [(&str, Value); 6] = [
            ("null", Value::None),
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("NaN", Value::Float(f64::NAN)),
            ("Infinity", Value::Float(f64::INFINITY)),
            ("-Infinity", Value::Float(f64::NEG_INFINITY)),
        ];
        for (w, v) in words {
            if self.starts_with(pos, w) {
                return Ok((v, pos + w.chars().count()));
            }
        }
        match c {
            '"' => {
                let (s, end) = self.string(pos)?;
                Ok((Value::str(&s), end))
            }
            '[' => self.array(vm, pos),
            '{' => self.object(vm, pos),
            '-' | '0'..='9' => self.number(pos).ok_or_else(expecting),
            _ => Err(expecting()),
        }
    }

    /// A number as CPython's `NUMBER_RE`: `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`.
    fn number(&self, pos: usize) -> Option<(Value, usize)> {
        let digits = |mut p: usize| {
            let s = p;
            while self.chars.get(p).is_some_and(char::is_ascii_digit) {
                p += 1;
            }
            (p > s).then_some(p)
        };
        let mut p = pos;
        if self.chars.get(p) == Some(&'-') {
            p += 1;
        }
        p = if self.chars.get(p) == Some(&'0') {
            p + 1
        } else {
            digits(p)?
        };
        let int_end = p;
        if self.chars.get(p) == Some(&'.')
            && let Some(e) = digits(p + 1)
        {
            p = e;
        }
        if matches!(self.chars.get(p), Some('e' | 'E')) {
            let mut q = p + 1;
            if matches!(self.chars.get(q), Some('+' | '-')) {
                q += 1;
            }
            if let Some(e) = digits(q) {
                p = e;
            }
        }
        let text: String = self.chars[pos..p].iter().collect();
        if p == int_end {
            // TODO(bigint9): integers past 64 bits
            let v = text.parse::<i64>().ok()?;
            return Some((Value::Int(v), p));
        }
        text.parse::<f64>().ok().map(|f| (Value::Float(f), p))
    }

    /// A string from its opening quote at `pos`; returns it and the
    /// position after its closing quote.
    fn string(&self, pos: usize) -> PyResult<(String, usize)> {
        let mut out = String::new();
        let mut p = pos + 1;
        loop {
            let Some(c) = self.chars.get(p).copied() else {
                return Err(self.error("Unterminated string starting at", pos));
            };
            match c {
                '"' => return Ok((out, p + 1)),
                '\\' => {
                    let Some(e) = self.chars.get(p + 1).copied() else {
                        return Err(self.error("Unterminated string starting at", pos));
                    };
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let unit = self.hex4(p + 2)?;
                            p += 6;
                            let mut code = u32::from(unit);
                            if (0xd800..0xdc00).contains(&unit)
                                && self.starts_with(p, "\\u")
                                && let Ok(low) = self.hex4(p + 2)
                                && (0xdc00..0xe000).contains(&low)
                            {
                                code = 0x10000
                                    + ((u32::from(unit) - 0xd800) << 10)
                                    + (u32::from(low) - 0xdc00);
                                p += 6;
                            }
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            continue;
                        }
                        _ => return Err(self.error("Invalid \\escape", p)),
                    }
                    p += 2;
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error("Invalid control character at", p));
                }
                c => {
                    out.push(c);
                    p += 1;
                }
            }
        }
    }

    fn hex4(&self, pos: usize) -> PyResult<u16> {
        let text: String = self.chars.iter().skip(pos).take(4).collect();
        if text.len() == 4
            && let Ok(v) = u16::from_str_radix(&text, 16)
        {
            return Ok(v);
        }
        Err(self.error("Invalid \\uXXXX escape", pos - 1))
    }

    fn array(&mut self, vm: &mut dyn Vm, pos: usize) -> PyResult<(Value, usize)> {
        let mut items = Vec::new();
        let mut p = self.skip_ws(pos + 1);
        if self.chars.get(p) == Some(&']') {
            return Ok((Value::list(items), p + 1));
        }
        loop {
            let (v, end) = self.value(vm, p)?;
            items.push(v);
            p = self.skip_ws(end);
            match self.chars.get(p) {
                Some(']') => return Ok((Value::list(items), p + 1)),
                Some(',') => p = self.skip_ws(p + 1),
                _ => return Err(self.error("Expecting ',' delimiter", p)),
            }
        }
    }

    fn object(&mut self, vm: &mut dyn Vm, pos: usize) -> PyResult<(Value, usize)> {
        let mut dict = DictObj::new(Vec::new());
        let mut p = self.skip_ws(pos + 1);
        if self.chars.get(p) == Some(&'}') {
            return self.finish_object(vm, dict, p + 1);
        }
        loop {
            if self.chars.get(p) != Some(&'"') {
                return Err(self.error("Expecting property name enclosed in double quotes", p));
            }
            let (key, end) = self.string(p)?;
            p = self.skip_ws(end);
            if self.chars.get(p) != Some(&':') {
                return Err(self.error("Expecting ':' delimiter", p));
            }
            p = self.skip_ws(p + 1);
            let (v, end) = self.value(vm, p)?;
            dict.set(Value::str(&key), v);
            p = self.skip_ws(end);
            match self.chars.get(p) {
                Some('}') => return self.finish_object(vm, dict, p + 1),
                Some(',') => {
                    let next = self.skip_ws(p + 1);
                    if self.chars.get(next) != Some(&'"') {
                        return Err(
                            self.error("Expecting property name enclosed in double quotes", next)
                        );
                    }
                    p = next;
                }
                _ => return Err(self.error("Expecting ',' delimiter", p)),
            }
        }
    }

    fn finish_object(
        &mut self,
        vm: &mut dyn Vm,
        dict: DictObj,
        end: usize,
    ) -> PyResult<(Value, usize)> {
        let d = Value::Dict(Rc::new(std::cell::RefCell::new(dict)));
        match self.hook {
            Some(h) => Ok((vm.call_value(h, vec![d], Vec::new())?, end)),
            None => Ok((d, end)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_cpython_does() {
        // json.dumps("é\n\x01") and json.dumps("\U0001F600") in CPython 3.11
        assert_eq!(quote("é\n\u{1}", true), r#""\u00e9\n\u0001""#);
        assert_eq!(quote("\u{1F600}", true), r#""\ud83d\ude00""#);
        assert_eq!(quote("é", false), "\"é\"");
    }
}
