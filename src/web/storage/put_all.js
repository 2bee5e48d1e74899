// Puts every record of a JSON array into an IndexedDB object store: one
// JSON.parse and a loop of put() on the JS side, so a chunk of records
// costs one crossing from wasm instead of several per record. The requests
// are not awaited: a failed one aborts the transaction, and the commit
// reports it (src/storage/import.rs). A put that throws (a record without
// its key) throws out of here, and the caller aborts.
export function putAll(store, json) {
  const records = JSON.parse(json);
  for (let i = 0; i < records.length; i++) store.put(records[i]);
  return records.length;
}

// Puts one response page (src/formats/pages.rs): the ids arrive as one
// comma-separated string, split here, so a page costs one crossing.
export function putPage(store, id, ids, json) {
  store.put({ id, ids: ids.split(','), json });
}
