//! Putting a questionnaire in people's hands: QR codes for links, and short
//! links for surveys too big for a scannable code: a file beside the app
//! ([`short_link`]) or, with a team server, a form in its forms database
//! ([`form_link`]).

pub mod form_link;
pub mod qr;
pub mod short_link;
