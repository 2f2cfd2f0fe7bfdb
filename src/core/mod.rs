//! The autodiff core: language → tape → Jacobians. Pure Rust, no web or UI imports
//! (tests/core_is_pure.rs enforces this), so it builds and tests natively and runs
//! unchanged in the browser.

pub mod auto;
pub mod batch;
pub mod compile;
pub mod complex;
pub mod dd;
pub mod decimal;
pub mod dense;
pub mod digits;
pub mod eval;
pub mod fd;
pub mod hessian;
pub mod jacobian;
pub mod kind;
pub mod lexer;
pub mod linear;
pub mod matrix;
pub mod newton;
pub mod ops;
#[cfg(not(target_arch = "wasm32"))]
pub mod pair;
pub mod parser;
pub mod point;
pub mod product;
pub mod real;
pub mod reduce;
pub mod softmax;
pub mod span;
pub mod sparse;
pub mod strategy;
pub mod sweep;
pub mod symbolic;
pub mod syntax;
pub mod tape;
pub mod tensor;
pub mod thin;
pub mod trace;

pub use auto::auto;
pub use compile::{compile, compile_source};
pub use matrix::{Cost, Matrix};
pub use span::Diagnostic;
pub use strategy::{choose, jacobian, jacobian_into, JacobianResult, Strategy, Workspace};
pub use tape::Tape;
