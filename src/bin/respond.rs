//! The lean respondent page (`respond.html`): only the customer's survey,
//! see `servicelens::web::respondent`.

#[cfg(target_arch = "wasm32")]
fn main() {
    servicelens::web::respondent::mount();
}

/// The page only runs in a browser; natively there is nothing to start.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
