/* The progress queue, shared by the page script and the service worker: "lesson completed"
   events kept on the device (IndexedDB) until the server has answered for each of them. */
var ElearnQueue = (() => {
  const API = '/api/v1/me/events';
  const open = () => new Promise((ok, fail) => {
    const request = indexedDB.open('elearn', 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('events', {keyPath: 'id'});
      request.result.createObjectStore('meta');
    };
    request.onsuccess = () => ok(request.result);
    request.onerror = () => fail(request.error);
  });
  // One transaction on one store; resolves with the last request's result once committed.
  const run = (store, mode, work) => open().then((db) => new Promise((ok, fail) => {
    const tx = db.transaction(store, mode);
    const request = work(tx.objectStore(store));
    tx.oncomplete = () => { db.close(); ok(request && request.result); };
    tx.onerror = tx.onabort = () => { db.close(); fail(tx.error); };
  }));
  const all = () => run('events', 'readonly', (store) => store.getAll());
  // The account last seen signed in here: events are made, counted and sent for it alone.
  const account = (name) => (name === undefined
    ? run('meta', 'readonly', (store) => store.get('account'))
    : run('meta', 'readwrite', (store) => store.put(name, 'account')));
  const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (byte) => byte.toString(16).padStart(2, '0')).join('');

  async function add(course, item) {
    const event = {id: randomId(), type: 'lesson_completed', course, item,
      at: new Date().toISOString(), account: await account()};
    await run('events', 'readwrite', (store) => store.put(event));
  }

  async function mine() {
    const name = await account();
    return (await all()).filter((event) => event.account === name);
  }

  // Send the signed-in account's events, oldest first; another account's wait for its own
  // sign-in. Returns how many the server answered for (-1: nobody is signed in); throws when
  // the network is down. The server applies each event once, so a repeat is harmless.
  async function send() {
    const events = await all();
    if (!events.length) return 0;
    const who = await fetch(API, {cache: 'no-store'});
    if (!who.ok || who.redirected) return -1;
    const session = await who.json();
    await account(session.account);
    const batch = events.filter((event) => event.account === session.account)
      .sort((a, b) => (a.at < b.at ? -1 : 1));
    let answered = 0;
    for (let start = 0; start < batch.length; start += session.max_events) {
      const response = await fetch(API, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': session.csrf_token},
        body: JSON.stringify(batch.slice(start, start + session.max_events)),
      });
      if (!response.ok) break; // refused whole: kept for the next try
      const {results} = await response.json();
      await run('events', 'readwrite', (store) => results.forEach((r) => store.delete(r.id)));
      answered += results.length;
    }
    return answered;
  }

  // Sign-out: nothing of the session may stay on a shared phone.
  const clear = () => Promise.all([
    caches.keys().then((names) => Promise.all(names.map((name) => caches.delete(name)))),
    new Promise((done) => {
      const request = indexedDB.deleteDatabase('elearn');
      request.onsuccess = request.onerror = request.onblocked = done;
    }),
  ]);

  return {account, add, mine, send, clear};
})();
