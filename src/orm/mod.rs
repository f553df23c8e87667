//! The ORM, laid out as SQLAlchemy's `orm/` package: mapped classes
//! ([`mapper`]), instance state ([`state`]), identity map ([`identity`]),
//! attribute access and history ([`attributes`]), instrumented collections
//! ([`collections`]), SQL expressions built from attributes
//! ([`expression`]), queries ([`query`]), loading rows into objects
//! ([`loading`]), loader strategies ([`strategies`]) and options
//! ([`strategy_options`]), the Session ([`session`]), its transaction
//! ([`session_transaction`]) and unit of work ([`unit_of_work`]) with the
//! statements a flush sends ([`persistence`]), bulk
//! statements ([`bulk`]), execution results ([`result`]) and `JSON` column
//! values ([`json`]), `aliased()` and `with_parent()` ([`util`]).

pub mod attributes;
pub mod bulk;
pub mod bulk_persistence;
pub mod collections;
pub mod concurrency;
pub mod dynamic;
pub mod events;
pub mod expression;
pub mod from_statement;
pub mod identity;
pub mod json;
pub mod loading;
pub mod mapper;
pub mod persistence;
pub mod query;
pub mod result;
pub mod schema_items;
pub mod session;
pub mod session_bind;
pub mod session_nested;
pub mod session_transaction;
pub mod state;
pub mod strategies;
pub mod strategy_options;
pub mod unit_of_work;
pub mod util;

#[cfg(test)]
mod tests;
