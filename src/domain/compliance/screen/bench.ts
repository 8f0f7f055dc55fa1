// Screens a mixed batch of texts and prints the rate.  npx tsx src/domain/compliance/screen/bench.ts
import { screenContent } from './index.js';

const samples = [
  '您好，您的账单将于3月5日到期，应还金额1200元，请按时还款。如有疑问请联系客服。',
  '如您遇到困难，可以告诉我们，我们可以一起商量分期还款方案，逾期将影响您的征信记录。',
  '你这个老赖，再不还钱就通知你的家人和同事，让警察上门抓你去坐牢！',
  '你這個老 * 賴，我們每天都會給你打電話，打到你還為止。',
  'Hi Sam, this is a reminder that your payment of $85 is due tomorrow. Reply STOP to opt out.',
  'If you do not pay, we may report this to credit reference agencies. You can contact a free debt adviser.',
  'Listen you deadbeat, we know where you live and we will tell your boss about your debt.',
  "We'll call you every hour until you pay, and the police will be at your door tomorrow.",
  '坐席：您好，请问是王先生吗？客户：是我。坐席：您的借款已逾期五天，请问是遇到什么困难了吗？客户：最近失业了。坐席：理解，我们可以为您申请延期。',
];
const texts: string[] = [];
for (let i = 0; i < 2000; i++) texts.push(`${samples[i % samples.length]} ${i}`);

for (const t of texts.slice(0, 50)) screenContent(t); // warm up
const rounds = 5;
const started = performance.now();
let findings = 0;
for (let r = 0; r < rounds; r++) for (const t of texts) findings += screenContent(t).length;
const seconds = (performance.now() - started) / 1000;
const n = texts.length * rounds;
const avgChars = Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length);
console.log(`${n} texts (avg ${avgChars} chars) in ${seconds.toFixed(2)} s: ${Math.round(n / seconds)} texts/s, ${findings} findings`);
