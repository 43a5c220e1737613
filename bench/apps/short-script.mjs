// Short-exit benchmark app: a script that makes CALLS (default 5) fetch calls to TARGET_URL, prints
// {"lastWorkAt"} (Date.now() after its last work) and simply ends.
const target = process.env.TARGET_URL;
if (!target) throw new Error('TARGET_URL is required');
const calls = Number(process.env.CALLS ?? 5);
for (let i = 0; i < calls; i++) await (await fetch(`${target}?i=${i}`)).text();
console.log(JSON.stringify({ calls, lastWorkAt: Date.now() }));
