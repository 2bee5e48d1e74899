//! KPI engine (issue 4): every metric of PRODUCT.md §3 computed on the device.
