//! Authoring aids: the starter declarations of `jixiao init`, the JSON Schema of `jixiao schema`
//! for editors, and the key table both are built from (which also generates the key reference
//! in `docs/declarations.md`).

pub mod init;
pub mod keys;
pub mod schema;
