//! View-model logic shared by the app and its tests: turns core results into plain,
//! display-ready data, one module per panel of `src/app/`. No Leptos or web imports:
//! components only render what this returns.

pub mod batch;
pub mod budget;
pub mod chain;
pub mod contour;
pub mod cost;
pub mod editor;
pub mod export;
pub mod fd;
pub mod field;
pub mod format;
pub mod formulas;
pub mod heat;
pub mod linear;
pub mod markup;
pub mod mathml;
pub mod mosaic;
pub mod newton;
pub mod operations;
pub mod paint;
pub mod panels;
pub mod passes;
pub mod png;
pub mod point;
pub mod scalarised;
pub mod second;
pub mod snapshot;
pub mod sparsity;
pub mod trust;

pub use cost::*;
pub use editor::*;
pub use fd::*;
pub use format::*;
pub use panels::*;
pub use passes::*;
pub use point::*;
pub use second::*;
pub use snapshot::*;
