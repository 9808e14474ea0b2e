// Cross-process reader of ArbBot's Redis mirror, using ioredis from npm.
// usage: node reader.js <port> <prefix>
// Subscribes to <prefix>:updates (each message a JSON array of books written) and counts messages; when a line "read" arrives on stdin, reads
// every <prefix>:book:* hash and prints {"messages": n, "lastMessage": {...}, "books": {key: {field: value}}}.
const Redis = require('ioredis');
const readline = require('readline');

const port = Number(process.argv[2]);
const prefix = process.argv[3];
const subscriber = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
const reader = new Redis({ port, host: '127.0.0.1' });
let messages = 0;
let lastMessage = null;

subscriber.subscribe(`${prefix}:updates`).then(() => console.error('subscribed'));
subscriber.on('message', (_channel, text) => {
  messages++;
  lastMessage = JSON.parse(text);
});

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'read') return;
  const books = {};
  let cursor = '0';
  do {
    const [next, keys] = await reader.scan(cursor, 'MATCH', `${prefix}:book:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) books[key] = await reader.hgetall(key);
  } while (cursor !== '0');
  process.stdout.write(JSON.stringify({ messages, lastMessage, books }) + '\n');
  subscriber.disconnect();
  reader.disconnect();
});
