//! Values of a `JSON` column as SQLAlchemy's `JSON` type processes them on
//! SQLite: bound as Python's `json.dumps(value)` text (`{"a": [1, 2]}`,
//! `ensure_ascii` escapes, `", "` and `": "` separators) and read back with
//! `json.loads`, objects keeping their key order as Python's dicts do.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::python::exceptions::{PyResult, type_error};
use crate::python::value::{Value, float_repr};

/// `json.dumps(v)` as Python 3.11 writes it.
///
/// Errors: `TypeError: Object of type X is not JSON serializable`, as
/// Python's encoder raises for values JSON has no form for.
pub fn dumps(v: &Value) -> PyResult<String> {
    let mut out = String::new();
    write_value(v, &mut out)?;
    Ok(out)
}

/// `s` as `json.dumps` writes it (ASCII only, as SQLAlchemy's default
/// serializer).
fn write_str(s: &str, out: &mut String) {
    out.push_str(&crate::python::json::quote(s, true));
}

fn write_value(v: &Value, out: &mut String) -> PyResult<()> {
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_nan() => out.push_str("NaN"),
        Value::Float(f) if f.is_infinite() => {
            out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" })
        }
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => write_str(s, out),
        Value::List(l) => write_items(&l.items.borrow(), out)?,
        Value::Tuple(t) => write_items(t, out)?,
        Value::Dict(d) => {
            out.push('{');
            for (i, (k, v)) in d.borrow().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match k {
                    Value::Str(s) => write_str(s, out),
                    Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::None => {
                        let mut key = String::new();
                        write_value(k, &mut key)?;
                        write_str(&key, out);
                    }
                    other => {
                        return Err(type_error(format!(
                            "keys must be str, int, float, bool or None, not {}",
                            other.type_name()
                        )));
                    }
                }
                out.push_str(": ");
                write_value(v, out)?;
            }
            out.push('}');
        }
        other => {
            return Err(type_error(format!(
                "Object of type {} is not JSON serializable",
                other.type_name()
            )));
        }
    }
    Ok(())
}

fn write_items(items: &[Value], out: &mut String) -> PyResult<()> {
    out.push('[');
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_value(v, out)?;
    }
    out.push(']');
    Ok(())
}

/// `json.loads(text)`; text that is not JSON comes back as the string.
pub fn loads(text: &str) -> Value {
    let mut de = serde_json::Deserializer::from_str(text);
    match JsonValue::deserialize(&mut de) {
        Ok(JsonValue(v)) if de.end().is_ok() => v,
        _ => Value::str(text),
    }
}

/// A [`Value`] read from JSON in document order.
struct JsonValue(Value);

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<JsonValue, D::Error> {
        d.deserialize_any(JsonVisitor).map(JsonValue)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::None)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(i64::try_from(u).map_or(Value::Float(u as f64), Value::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::str(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::list(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut items: Vec<(Value, Value)> = Vec::new();
        while let Some((k, JsonValue(v))) = map.next_entry::<String, JsonValue>()? {
            let k = Value::str(&k);
            // A repeated key keeps its first place and its last value.
            match items
                .iter_mut()
                .find(|(x, _)| crate::python::ops::values_equal(x, &k))
            {
                Some(slot) => slot.1 = v,
                None => items.push((k, v)),
            }
        }
        Ok(crate::python::value::DictObj::value(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dumps_as_python_and_loads_in_order() {
        // json.dumps({"b": [1, 2.5, None, True], "a": "é"}) in Python 3.11
        let v = loads(r#"{"b": [1, 2.5, null, true], "a": "\u00e9"}"#);
        assert_eq!(
            dumps(&v).unwrap(),
            r#"{"b": [1, 2.5, null, true], "a": "\u00e9"}"#
        );
        assert_eq!(dumps(&Value::str("x")).unwrap(), r#""x""#);
        assert_eq!(loads("not json").type_name(), "str");
    }
}
