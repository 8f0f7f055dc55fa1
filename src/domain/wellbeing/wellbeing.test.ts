import { describe, expect, it } from 'vitest';
import { assessWellbeing, type WellbeingLevel } from './index.js';

type Case = readonly [text: string, level: WellbeingLevel, code?: string];

// Every crisis example from the brief, said plainly or indirectly.
const CRISIS: readonly Case[] = [
  ['我不想活了', 'crisis', 'suicidal_ideation'],
  ['我真的不想活了', 'crisis', 'suicidal_ideation'],
  ['活着没意思', 'crisis', 'hopelessness'],
  ['遗书都写好了', 'crisis', 'farewell'],
  ['过了今晚就没人欠你们钱了', 'crisis', 'farewell'],
  ['过了今晚就没人欠您的钱了', 'crisis', 'farewell'],
  ['我已经买好安眠药了', 'crisis', 'suicide_plan'],
  ['我现在站在楼顶上', 'crisis', 'suicide_plan'],
  ['下辈子再还吧', 'crisis', 'farewell'],
  ['我死了你们就找不到人要钱了', 'crisis', 'suicidal_ideation'],
  ['我死了您就找不到人要钱了', 'crisis', 'suicidal_ideation'],
  ['I want to end it all', 'crisis', 'suicidal_ideation'],
  ["you won't have to chase me much longer", 'crisis', 'suicidal_ideation'],
  ["I've written letters to my kids", 'crisis', 'farewell'],
  ["I can't go on", 'crisis', 'suicidal_ideation'],
  ["Honestly I'd be better off dead", 'crisis', 'suicidal_ideation'],
  ["I've been thinking about how to kill myself", 'crisis', 'suicidal_ideation'],
  // more Chinese, plain and indirect
  ['我想自杀', 'crisis', 'suicidal_ideation'],
  ['还不上钱我就去跳楼', 'crisis', 'suicidal_ideation'],
  ['你们再打电话我就去死', 'crisis', 'suicidal_ideation'],
  ['实在没办法了，一了百了吧', 'crisis', 'suicidal_ideation'],
  ['活着太累了', 'crisis', 'hopelessness'],
  ['我就是家里的拖累', 'crisis', 'hopelessness'],
  ['我真的撑不下去了', 'crisis', 'hopelessness'],
  ['老婆跑了不想活了', 'crisis', 'suicidal_ideation'],
  ['大哥我真的不想活了', 'crisis', 'suicidal_ideation'],
  ['您好，我不想活了', 'crisis', 'suicidal_ideation'],
  ['你们是不是想逼死我', 'crisis', 'suicidal_ideation'],
  ['别逼我去死', 'crisis', 'suicidal_ideation'],
  ['帮我照顾好我的孩子', 'crisis', 'farewell'],
  ['我吃了一整瓶安眠药', 'crisis', 'suicide_plan'],
  ['我想紫砂', 'crisis', 'suicidal_ideation'],
  ['I 真的不想活了', 'crisis', 'suicidal_ideation'],
  // more English
  ['I want to die', 'crisis', 'suicidal_ideation'],
  ['i dont want to live anymore', 'crisis', 'suicidal_ideation'],
  ['There is nothing left to live for', 'crisis', 'suicidal_ideation'],
  ["I've saved up enough pills to do it", 'crisis', 'suicide_plan'],
  ["I'm standing on the bridge right now", 'crisis', 'suicide_plan'],
  ['Everyone would be better off without me', 'crisis', 'suicidal_ideation'],
  ["I've been cutting myself again", 'crisis', 'self_harm'],
  ["You're driving me to suicide", 'crisis', 'suicidal_ideation'],
  ["I'll pay it back in my next life", 'crisis', 'suicidal_ideation'],
  ['This is the last message you will hear from me', 'crisis', 'farewell'],
  ['I just want to sleep and never wake up', 'crisis', 'suicidal_ideation'],
];

// Evasion: full-width, traditional, inserted spaces and symbols, leetspeak, mixed languages.
const EVASION: readonly Case[] = [
  ['我不想活了', 'crisis', 'suicidal_ideation'],
  ['我不 想 活 了', 'crisis', 'suicidal_ideation'],
  ['不*想*活*了', 'crisis', 'suicidal_ideation'],
  ['不，想，活，了', 'crisis', 'suicidal_ideation'],
  ['遺書都寫好了', 'crisis', 'farewell'],
  ['活著沒意思', 'crisis', 'hopelessness'],
  ['我已經買好安眠藥了', 'crisis', 'suicide_plan'],
  ['下輩子再還吧', 'crisis', 'farewell'],
  ['ｋｉｌｌ ｍｙｓｅｌｆ', 'crisis', 'suicidal_ideation'],
  ['I want to k i l l myself', 'crisis', 'suicidal_ideation'],
  ['i want to k1ll my-self', 'crisis', 'suicidal_ideation'],
  ['#killmyself', 'crisis', 'suicidal_ideation'],
  ['I CAN’T GO ON', 'crisis', 'suicidal_ideation'],
  ['su1c1de is the only way', 'crisis', 'suicidal_ideation'],
];

// Idiom and hyperbole: none, or concern when there is also real distress.
const NOT_CRISIS: readonly Case[] = [
  ['这利率要我命啊', 'none'],
  ['笑死', 'none'],
  ['累死了', 'none'],
  ['气死我了', 'none'],
  ['烦死了', 'none'],
  ['我要被你们烦死了', 'none'],
  ['死贷款', 'none'],
  ['什么死平台，利息这么高', 'none'],
  ['死也不会借你们的钱了', 'none'],
  ['kill me now, this form is so long', 'none'],
  ["I'm dying to know when the payment clears", 'none'],
  ['this interest is killing me', 'none'],
  ['想死你了', 'none'],
  ['你们去死吧', 'none'],
  ['跳楼价大甩卖', 'none'],
  ['别在一棵树上吊死', 'none'],
  ['That would be financial suicide', 'none'],
  ["I'd rather die than pay you people", 'none'],
  ['我饿死了，先去吃饭', 'none'],
  ['我在医院上班，晚点回复', 'concern'],
  ['这利率要我命啊，我快崩溃了', 'concern', 'panic'],
  ['过了今晚我就还钱', 'none'],
  ['我会照顾好家人的，下个月一定还', 'none'],
  ["I can't go on the website, it keeps crashing", 'none'],
  ['I cut myself shaving', 'none'],
  ["I'm sick of these calls", 'none'],
];

// Denials and other people's crises: concern, never crisis. A denial is kept at concern on
// purpose (see lexicons/zh.yaml POLICY): the thought is on the person's mind.
const DENIAL_AND_THIRD_PERSON: readonly Case[] = [
  ['我不会想不开的', 'concern', 'suicidal_ideation'],
  ['您放心，我不会想不开的', 'concern', 'suicidal_ideation'],
  ['我没想过自杀', 'concern', 'suicidal_ideation'],
  ['我朋友上次想不开', 'concern', 'suicidal_ideation'],
  ['新闻里说有人跳楼了', 'concern', 'suicidal_ideation'],
  ["I'm not going to kill myself, don't worry", 'concern', 'suicidal_ideation'],
  ["I'm not suicidal", 'concern', 'suicidal_ideation'],
  ['My friend tried to end her life last year', 'concern'],
];

const CONCERN: readonly Case[] = [
  ['我失业了，这个月还不上', 'concern', 'job_loss'],
  ['我被裁员了', 'concern', 'job_loss'],
  ['公司倒闭了，工资也没发', 'concern', 'job_loss'],
  ['I lost my job last month', 'concern', 'job_loss'],
  ['I was laid off in March', 'concern', 'job_loss'],
  ['我妈住院了，要做手术', 'concern', 'illness'],
  ['我查出了癌症，在化疗', 'concern', 'illness'],
  ['My wife has cancer and needs surgery', 'concern', 'illness'],
  ['家人去世了，在办丧事', 'concern', 'bereavement'],
  ['我爸上个月去世了', 'concern', 'bereavement'],
  ['My husband died in January', 'concern', 'bereavement'],
  ['我快崩溃了', 'concern', 'panic'],
  ['整夜睡不着', 'concern', 'panic'],
  ['I keep having panic attacks', 'concern', 'panic'],
  ['连饭都吃不起了', 'concern', 'food_insecurity'],
  ["I can't feed my kids", 'concern', 'food_insecurity'],
  ['房租都交不起了，房东要赶我走', 'concern', 'housing'],
  ['We are being evicted next week', 'concern', 'housing'],
  ['老公喝醉了就打我', 'concern', 'abuse'],
  ['My partner hits me when I ask about money', 'concern', 'abuse'],
  ['我是残疾人，腿脚不方便', 'concern', 'disability'],
  ["I'm disabled and on benefits", 'concern', 'disability'],
  ['怀孕七个月，医生说要保胎', 'concern', 'pregnancy'],
  ['I had a miscarriage', 'concern', 'pregnancy'],
  ['我有抑郁症，在吃药', 'concern', 'mental_health'],
  ["I've been diagnosed with depression", 'concern', 'mental_health'],
  ['我要在医院照顾瘫痪的父亲', 'concern', 'caring'],
  ["I'm caring for my sick mother", 'concern', 'caring'],
  ['我被骗了十几万', 'concern', 'scam'],
  ['I was scammed out of my savings', 'concern', 'scam'],
  ['走投无路了', 'concern', 'despair'],
  ['您好，我老公住院了', 'concern', 'illness'],
  ['你好，我老公住院了', 'concern', 'illness'],
];

// Varied, indirect phrasings: farewells, plans, past attempts, burden, questions about the
// debt outliving the borrower. A rule set tuned to single sentences would miss these.
const INDIRECT: readonly Case[] = [
  ['我已经跟这个世界告别了', 'crisis'],
  // Chat drops the subject of an attempt.
  ["Attempted twice already. Third time won't fail.", 'crisis'],
  ["Tried once last year and it didn't work. Next time I'll do it properly.", 'crisis'],
  ['这次我是认真的，不会再醒过来了', 'crisis'],
  ['明天的太阳我应该是看不到了', 'crisis'],
  ['不想再拖累爸妈了，我先走一步', 'crisis'],
  ['对不起爸妈，我先走了', 'crisis'],
  ['我已经写好了给女儿的信', 'crisis'],
  ['刀就在我手边', 'crisis', 'suicide_plan'],
  ['我吞了半瓶安眠药', 'crisis', 'suicide_plan'],
  ['我现在一个人在河边，水好冷', 'crisis', 'suicide_plan'],
  ['我已经很久没有想活下去的念头了', 'crisis'],
  ['您好，麻烦您以后不要再打了，我已经没有活下去的理由了。', 'crisis'],
  ['我觉得死了比活着轻松', 'crisis'],
  ['如果我死了，这笔债是不是就一笔勾销了？', 'crisis'],
  ['我试过一次了，没死成', 'crisis'],
  ['wo xiang si le, bie zai da le.', 'crisis'],
  ['客服：请问什么时候还款？客户：还什么还，我人都不想活了。', 'crisis'],
  ["I've made my peace. Thank you for your patience, and goodbye.", 'crisis'],
  ['Please tell my mom it wasn\'t her fault', 'crisis', 'farewell'],
  ["I'm at the train station and I'm going to step off the platform", 'crisis'],
  ['I feel like everyone would be happier if I was gone', 'crisis'],
  ["I'm not going to make it through the night", 'crisis'],
  ['I plan to be gone before the next payment is due', 'crisis'],
  ["I've stopped taking my meds and I've been saving them up", 'crisis'],
  ['My kids would be better off without me', 'crisis'],
  ['Does the debt die with me?', 'crisis'],
  ['Nobody would miss me', 'crisis'],
  ['There won\'t be anyone to answer soon.', 'crisis'],
  ['我 want to die', 'crisis'],
];

// Ordinary talk that shares words with farewells: never a crisis.
const ORDINARY: readonly Case[] = [
  ['对不起，我先走了，有事明天说', 'none'],
  ["Tried twice already to pay, your app won't accept my card", 'none'],
  ['Attempted the transfer twice already, it keeps failing', 'none'],
  ["Tried once before, didn't work, will try again now", 'none'],
  ['一切到此为止，我已经全部还清了', 'none'],
  ['我在江边的工地干活，下午才有信号', 'none'],
  ['我已经准备好了钱，明天就走账', 'none'],
  ['我们家住天台那层，信号差', 'none'],
  ['还完这期就解脱了', 'none'],
  ['以后不麻烦你们了，已经全部还清', 'none'],
  ['上吊也要喘口气吧，给我几天时间', 'none'],
  ['我不会自杀的，你们别想吓唬我', 'concern'],
  ['你们想逼死人啊', 'none'],
  ["I won't be here tomorrow, I'm traveling", 'none'],
  ["I won't be around next week, I'm on a business trip", 'none'],
  ["I'm ending it with your company, closing my account", 'none'],
  ['It will all be over once I pay the last installment', 'none'],
  ["I'm done fighting with your billing department", 'none'],
  ["I'll be dead before I pay this off", 'none'],
  ['You people will be the death of me', 'none'],
  ["I'm going to jump ship to another lender", 'none'],
  ['Drop dead, I am not paying that', 'none'],
  ['I nearly died laughing at your letter', 'none'],
];

const NONE: readonly Case[] = [
  ['', 'none'],
  ['好的，我明天还款', 'none'],
  ['您好，请问我的账单是多少？', 'none'],
  ['你们的利息太高了', 'none'],
  ['如有异议请联系我们', 'none'],
  ['Can I set up a payment plan?', 'none'],
  ['I will pay on Friday', 'none'],
  ['Please stop calling me at work', 'none'],
  ['你们是骗子吧', 'none'],
];

function check(text: string, level: WellbeingLevel, code?: string) {
  const r = assessWellbeing(text);
  expect(r.level, JSON.stringify(r.signals)).toBe(level);
  if (code !== undefined) expect(r.signals.map((s) => s.code)).toContain(code);
}

describe('assessWellbeing', () => {
  const table = (cases: readonly Case[]) =>
    it.each(cases.map(([t, l, c]): [string, WellbeingLevel, string | null] => [t, l, c ?? null]))('%s → %s', (t, l, c) =>
      check(t, l, c ?? undefined),
    );
  describe('crisis', () => table(CRISIS));
  describe('evasion', () => table(EVASION));
  describe('idiom and hyperbole', () => table(NOT_CRISIS));
  describe('denial and third person', () => table(DENIAL_AND_THIRD_PERSON));
  describe('concern', () => table(CONCERN));
  describe('none', () => table(NONE));
  describe('indirect and varied phrasing', () => table(INDIRECT));
  describe('ordinary talk sharing words with farewells', () => table(ORDINARY));
});

describe('long texts', () => {
  it('are assessed in pieces of at most 2,000 characters, with exact offsets', () => {
    const long = '今天还了两百。'.repeat(700) + '我已经买好了安眠药，今晚就走。' + '好的。'.repeat(500);
    const r = assessWellbeing(long);
    expect(r.level).toBe('crisis');
    for (const s of r.signals) expect(long.slice(s.start, s.end)).toBe(s.span);
    // One run of a trigger character, with no sentence end, is cut every 2,000 characters.
    const text = '死'.repeat(5_000);
    const run = assessWellbeing(text);
    for (const s of run.signals) expect(text.slice(s.start, s.end)).toBe(s.span);
    expect(run.signals.at(-1)!.end).toBeLessThanOrEqual(5_000);
  });
});
