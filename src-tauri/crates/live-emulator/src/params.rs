//! Strict reading of an action's parameters, as the service does it: a missing required parameter is
//! `MissingParameter`, a value of the wrong JSON type is `InvalidParameter`, a name the action does not
//! take is `UnknownParameter`. Integers may be sent as numeric strings (Tencent's own examples do).

use serde_json::{Map, Value};

use crate::reply::Fault;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    StrList,
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

pub const fn req(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: true,
    }
}

pub const fn opt(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: false,
    }
}

/// The parameters of one request, checked against the action's list.
#[derive(Debug)]
pub struct Params(Map<String, Value>);

impl Params {
    pub fn check(body: Map<String, Value>, spec: &[Param]) -> Result<Params, Fault> {
        for key in body.keys() {
            if !spec.iter().any(|p| p.name == key) {
                return Err(Fault::new(
                    "UnknownParameter",
                    format!("The parameter `{key}` is not recognized."),
                ));
            }
        }
        for p in spec {
            match body.get(p.name) {
                None | Some(Value::Null) if p.required => {
                    return Err(Fault::new(
                        "MissingParameter",
                        format!("The request is missing a required parameter `{}`.", p.name),
                    ))
                }
                None | Some(Value::Null) => {}
                Some(v) => {
                    let ok = match p.kind {
                        Kind::Str => v.is_string(),
                        Kind::Int => as_int(v).is_some(),
                        Kind::StrList => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                    };
                    if !ok {
                        let want = match p.kind {
                            Kind::Str => "String",
                            Kind::Int => "Integer",
                            Kind::StrList => "Array of String",
                        };
                        return Err(Fault::new(
                            "InvalidParameter",
                            format!("The value of parameter `{}` must be of type {want}.", p.name),
                        ));
                    }
                }
            }
        }
        Ok(Params(body))
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(as_int)
    }

    pub fn str_list(&self, name: &str) -> Option<Vec<String>> {
        self.0
            .get(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A GET query (`A=1&B.0=x&B.1=y`) as the JSON object a POST would carry: `Name.N` keys become lists.
pub fn from_query(query: &str) -> Map<String, Value> {
    let mut map = Map::new();
    let mut lists: Vec<(String, usize, String)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.rsplit_once('.') {
            Some((name, idx)) if idx.parse::<usize>().is_ok() => {
                lists.push((name.to_owned(), idx.parse().unwrap_or(0), v.into_owned()))
            }
            _ => {
                map.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
    }
    lists.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (name, _, v) in lists {
        let entry = map.entry(name).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = entry {
            items.push(Value::String(v));
        }
    }
    map
}
