//! Putting a questionnaire in people's hands: QR codes for links, and short
//! links for surveys too big for a scannable code.

pub mod qr;
pub mod short_link;
