//! The ORM: mapped classes ([`mapper`]), instance state ([`state`]), SQL
//! expressions built from attributes ([`expression`]), queries ([`query`]),
//! loader strategies ([`loading`]), the Session ([`session`]) and its unit
//! of work ([`unit_of_work`]), and execution results ([`result`]).

pub mod bulk;
pub mod expression;
pub mod loading;
pub mod mapper;
pub mod query;
pub mod result;
pub mod schema_items;
pub mod session;
pub mod state;
pub mod unit_of_work;
