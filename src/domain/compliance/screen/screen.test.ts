import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONTENT_CATEGORIES, screenContent, screenContentWith } from './index.js';
import type { ContentCategory, ScreenOptions } from './index.js';
import { compileLexicon } from './lexicon.js';

type Case = [text: string, category: ContentCategory, options?: ScreenOptions];

const categoriesOf = (text: string, options?: ScreenOptions) => new Set(screenContent(text, options).map((f) => f.category));

describe('screenContent flags abusive or unlawful language', () => {
  const cases: Case[] = [
    // threat — zh 你 / 您 registers, en
    ['你再不还钱，小心我找人弄死你。', 'threat'],
    ['您要是再拖，后果自负。', 'threat'],
    ['你给我等着，我们不会放过你的。', 'threat'],
    ['你家住在阳光花园小区吧？', 'threat'],
    ['你孩子在哪个学校上学我们都知道。', 'threat'],
    ['您女儿在第一中学读书对吧，挺可爱的。', 'threat'],
    ['我们会把你的照片挂到网上，让你社会性死亡。', 'threat'],
    ['出门小心点，晚上走路注意安全。', 'threat'],
    ['I know where you live.', 'threat'],
    ['Nice car you have, shame if something happened to it.', 'threat'],
    ['Pay today or you will regret it, this is your final warning.', 'threat'],
    ['We know which school your kids go to.', 'threat'],
    // insult
    ['你这个老赖，赶紧还钱！', 'insult'],
    ['您真是不要脸，借钱不还。', 'insult'],
    ['你就是个骗子、废物。', 'insult'],
    ['欠钱不还，你怎么不去死？', 'insult'],
    ['You are a deadbeat and a loser.', 'insult'],
    ['Listen here, you scumbag, pay up.', 'insult'],
    ['you stupid lazy cow, where is the money', 'insult'],
    // false_legal
    ['再不还款，警察明天就上门抓你。', 'false_legal'],
    ['你这是诈骗罪，我们已经刑事立案了。', 'false_legal'],
    ['您如果不还，将被拘留并坐牢。', 'false_legal'],
    ['我们是法院的，传票已经发出了。', 'false_legal'],
    ['逾期不还会被追究刑事责任。', 'false_legal'],
    ['明天就强制执行你的房子。', 'false_legal'],
    ['You will be arrested if you do not pay by Friday.', 'false_legal'],
    ['Not paying is fraud and we will press criminal charges.', 'false_legal'],
    ['This is Officer Brown from the police department.', 'false_legal'],
    ['We will garnish your wages next week.', 'false_legal'],
    // third_party_disclosure
    ['再不还就爆你通讯录。', 'third_party_disclosure'],
    ['我们会通知你的同事和领导你欠钱不还。', 'third_party_disclosure'],
    ['我们已经联系了您的家人，告诉他们您的欠款情况。', 'third_party_disclosure'],
    ['让你父母替你还钱吧。', 'third_party_disclosure'],
    ['We will tell your boss about your debt.', 'third_party_disclosure'],
    ['If you ignore us we will call your mother about the money you owe.', 'third_party_disclosure'],
    ['We will text everyone in your contact list.', 'third_party_disclosure'],
    // harassment
    ['我们会每天给你打电话。', 'harassment'],
    ['打到你还为止。', 'harassment'],
    ['您不接也没用，我们会一直打到您还款为止。', 'harassment'],
    ['今晚凌晨三点我们还会给你打电话。', 'harassment'],
    ["We'll call you every hour.", 'harassment'],
    ['We will keep calling until you pay.', 'harassment'],
    ['Expect calls day and night.', 'harassment'],
    // deception
    ['不交手续费就上征信黑名单。', 'deception'],
    ['你的利息已经翻倍了。', 'deception'],
    ['你的欠款已经涨到十万了。', 'deception'],
    ['您先交500元保证金，我们就帮您撤销逾期记录。', 'deception'],
    ['请把钱转到我的个人支付宝。', 'deception'],
    ['Pay a release fee of $200 or you will be blacklisted.', 'deception'],
    ['Your debt has doubled since last month.', 'deception'],
    ['Send the money to my personal account today.', 'deception'],
    // evasion: full-width, spacing, symbols, traditional, mixed
    ['你這個老賴', 'insult'],
    ['老 赖，还钱', 'insult'],
    ['老*赖', 'insult'],
    ['ｄｅａｄｂｅａｔ', 'insult'],
    ['you are a l.o.s.e.r', 'insult'],
    ['你个loser', 'insult'],
    ['坐-牢等着你', 'false_legal'],
    ['你會被抓去坐牢，監獄見', 'false_legal'],
    ['告诉你的boss你欠钱', 'third_party_disclosure'],
    ['我們會通知你的家人你欠錢', 'third_party_disclosure'],
    ['ｐｏｌｉｃｅ已经在路上了', 'false_legal'],
    ['爆 通 讯 录', 'third_party_disclosure'],
    ['we will c-a-l-l you every hour', 'harassment'],
    // audience: third party
    ['请转告他尽快还款。', 'third_party_disclosure', { audience: 'third_party' }],
    ['他的欠款已经逾期三个月了。', 'third_party_disclosure', { audience: 'third_party' }],
    ['Please tell him his loan is overdue.', 'third_party_disclosure', { audience: 'third_party' }],
    ['He owes us money.', 'third_party_disclosure', { audience: 'third_party' }],
  ];

  it.each(cases)('%s → %s', (text, category, options) => {
    expect([...categoriesOf(text, options)]).toContain(category);
  });

  it('has cases for every category in both languages', () => {
    for (const cat of CONTENT_CATEGORIES) {
      expect(cases.some(([t, c]) => c === cat && /[\u4e00-\u9fff]/.test(t))).toBe(true);
      expect(cases.some(([t, c]) => c === cat && !/[\u4e00-\u9fff]/.test(t))).toBe(true);
    }
  });
});

describe('screenContent leaves lawful, polite text alone', () => {
  const lawful: [string, ScreenOptions?][] = [
    ['我们不会联系您的家人。'],
    ['逾期将影响您的征信记录。'],
    ['我们可能会依法提起民事诉讼。'],
    ['您可以申请分期还款。'],
    ['如有异议请联系我们。'],
    ['我们不会上门，也不会联系您的同事。'],
    ['您好，您的账单将于3月5日到期，应还金额1200元。'],
    ['如您遇到困难，可以告诉我们，我们可以一起商量还款方案。'],
    ['请您尽快还款，以免产生更多罚息。'],
    ['为保护您的隐私，我们绝不会向您的家人或同事透露任何信息。'],
    ['谨防骗子冒充我司工作人员，请认准官方客服电话。'],
    ['欠款属于民事纠纷，您不会因此坐牢，请放心。'],
    ['您不是老赖，只是暂时遇到了困难。'],
    ['如果长期未还款，经法院判决后可能被依法强制执行。'],
    ['您可以通过APP、银行转账等官方渠道还款。'],
    ['我们会在明天上午再与您联系，方便吗？'],
    ['如需帮助，您可以联系您的家人一起商量。'],
    ['提前还款不收取任何手续费。'],
    ['If you do not pay, we may report this to credit reference agencies.'],
    ['You can contact a free debt adviser.'],
    ['We will not contact your family or employer.'],
    ['We will never contact your employer.'],
    ['Your payment of $120 is due on 5 March. Reply STOP to opt out.'],
    ['If we cannot agree a plan, we may take legal action through the civil courts.'],
    ['We can offer a payment plan, reduced interest or a short break in payments.'],
    ['Nobody goes to jail over a personal loan, so let us work out a plan.'],
    ["You're not a deadbeat for falling behind; lots of people do."],
    ['Please call us back at a time that suits you.'],
    ['We are trying to reach Ms Li. Could you ask her to call us back?', { audience: 'third_party' }],
    ['您好，我们有事想联系张先生，麻烦请他回电，谢谢。', { audience: 'third_party' }],
    ['Thank you for your payment; your account is up to date.'],
    ['Scammers may pretend to be the police; we will never ask you to pay into a personal account.'],
    // call transcripts and kind wording that contain trigger words in a harmless sense
    ['客户：你们是不是要爆我通讯录？坐席：不会的，我们不会联系您通讯录中的任何人。'],
    ['客户：你们再这样打我就报警了。坐席：非常抱歉打扰您，我们会调整联系时间。'],
    ['您的家人出了意外，需要帮助吗？我们可以暂停催收。'],
    ['如您的单位发放工资延迟导致还款困难，请告诉我们。'],
    ['您的紧急联系人不承担还款责任，我们也不会联系他们催款。'],
    ['网上说欠网贷会坐牢，那是假的，这只是民事欠款。'],
    ['借款人去世的，我们会依法与其继承人沟通。'],
    ["We don't want you to lose your home, so let's find a plan together."],
    ["If you receive a court summons, please don't ignore it; get advice straight away."],
    ['Customer: Are you going to call my boss? Agent: No, we will never contact your employer about this.'],
    ['Our lines are open every day from 8am to 8pm.'],
    ['You may be charged a late fee of $15 as set out in your agreement.'],
  ];

  it.each(lawful)('%s', (text, options) => {
    expect(screenContent(text, options)).toEqual([]);
  });
});

describe('generalized rule classes (spoken, dialect, implied)', () => {
  const cases: Case[] = [
    // threat: escalation, property "accidents", whereabouts, conditional visits
    ['今天你不接，下回就换外访的兄弟跟你聊了，他们可没我这么好说话。', 'threat'],
    ['这事儿可就不是打个电话那么简单了哈。', 'threat'],
    ['你那辆车停在楼下挺久了吧，轮胎被扎了可别怪别人。', 'threat'],
    ['你们家那个五号楼三单元是吧，我上周刚好路过你家小区。', 'threat'],
    ['再不还，我们就去你老家坐坐，跟你爸妈聊聊。', 'threat'],
    ['侬再拖下去，阿拉就到侬屋里厢讲讲清爽。', 'threat'],
    ['欠钱不还的人一般没什么好下场，你自己掂量。', 'threat'],
    ['Your son finishes swim practice at 6 on Tuesdays, right? Would be nice to sort this first.', 'threat'],
    ['Be a real shame if someone scratched that new truck of yours.', 'threat'],
    ["Next time it won't be me calling, and the guys after me aren't as patient.", 'threat'],
    ["We've been keeping an eye on you.", 'threat'],
    // insult: dialect, mockery
    ['你个瓜娃子，电话也不接。', 'insult'],
    ['死扑街，仲唔还钱？', 'insult'],
    ['你这智商也是感人，借钱的时候咋不想想？', 'insult'],
    ['别装聋作哑了，赶紧还。', 'insult'],
    ['Spare me the sob story and get a real job.', 'insult'],
    ['Honestly, you behave like a common crook.', 'insult'],
    // false_legal: enforcement, police referral, court-header SMS
    ['【东城区人民法院】您涉嫌借贷纠纷，请于三日内联系。', 'false_legal'],
    ['你名下的工资卡和支付宝明天中午前都会冻结。', 'false_legal'],
    ['逾期超过十天我们会通知你户籍地派出所协助处理。', 'false_legal'],
    ['你的信息已经进了追逃系统。', 'false_legal'],
    ['Enforcement officers will attend on Monday to take goods to the value of the debt.', 'false_legal'],
    ['We have informed immigration about your account.', 'false_legal'],
    // third_party_disclosure: groups, conditional, workplace, tell-to
    ['我们拉了个群，把你亲戚都加进去了。', 'third_party_disclosure'],
    ['不还的话，你们领导那边我们就直接打过去了。', 'third_party_disclosure'],
    ['再不处理，你的房东和邻居都会收到通知。', 'third_party_disclosure'],
    ['如逾期未处理，将把您的欠款情况通报至您所在公司财务。', 'third_party_disclosure'],
    ['Does your wife know about this loan?', 'third_party_disclosure'],
    ["If you don't pay by Friday, your landlord will be hearing from us.", 'third_party_disclosure'],
    ['您好，您是李强的姐姐吧？他在我们这借了五千没还。', 'third_party_disclosure', { audience: 'third_party' }],
    // harassment: schedule, holidays, channels
    ['从今晚开始每隔十分钟一个电话。', 'harassment'],
    ['中秋节晚上我们照样打，看谁先扛不住。', 'harassment'],
    ['Keep blocking us, we will keep messaging you on every app until you answer.', 'harassment'],
    ['I rang your work four times today already.', 'harassment'],
    // deception: fees, fake offers, records, identity
    ['系统显示您有一笔风控服务费300元未缴纳。', 'deception'],
    ['减免名额仅剩两个，过了今天还要收两倍罚金。', 'deception'],
    ['你逾期的事已经同步到社保系统，医保卡会被停用。', 'deception'],
    ['结清后征信上会显示从未逾期，我在后台帮你处理掉。', 'deception'],
    ['There is a one-off $90 account reactivation fee before any plan can start.', 'deception'],
    ['Pay in full and we will get the bureaus to erase it like it never happened.', 'deception'],
    ['This is Dan from the Department of Financial Recovery.', 'deception'],
    // final round: surveillance, routine, workplace, channels, payment routes
    ['你每天晚上从厂里下班都走那条小巷吧，路灯不太亮，注意安全哈。', 'threat'],
    ['我们下周安排同事去您老家核实一下，您家人被惊扰了可别怪我们。', 'threat'],
    ['I drove by your office this morning. Big windows.', 'threat'],
    ['Our team knows your daily routine pretty well by now.', 'threat'],
    ['你领导的手机号我们已经拿到了，晚点跟他聊聊你的事。', 'third_party_disclosure'],
    ['下次我们当着你同事的面说。', 'third_party_disclosure'],
    ['Everyone you follow is about to get a message about your loan.', 'third_party_disclosure'],
    ['你拉黑了这个号，我们就换座机打，挂一次多打五次。', 'harassment'],
    ['We will ring you at 8am, 2pm and 10pm, weekends included.', 'harassment'],
    ['欠款超过五千就能入刑，这是刑法写着的。', 'false_legal'],
    ['This is a felony and the DA will hear about it.', 'false_legal'],
    ['别走官方渠道了，直接转我支付宝，我马上给你销账。', 'deception'],
    ['Just Venmo me the balance and I will close it on my side.', 'deception'],
    ['Your interest rate is now 12% per day.', 'deception'],
  ];
  it.each(cases)('%s → %s', (text, category, options) => {
    expect([...categoriesOf(text, options)]).toContain(category);
  });

  const lawful: [string, ScreenOptions?][] = [
    // firm negation anywhere earlier in the clause
    ['我们绝不会把您的借款情况透露给您的同事或亲戚。'],
    ['逾期不会导致您被拘留或坐牢，这些说法都是不对的。'],
    ['请勿向任何私人账户转账，官方还款渠道仅限App。'],
    ['We will never ask you to pay into a personal account or threaten you with jail.'],
    ["We can't promise to remove the late payment from your credit file."],
    // frequency offers and rules
    ['按规定我们每天最多联系您一次。'],
    ['如果觉得一天一个电话太多，我们可以改成一周一次。'],
    ['If our calls feel too frequent, tell us and we will agree a schedule.'],
    // context that looks like a trigger
    ['您说您住院了对吧，先好好休养，我们暂停联系。'],
    ['您尾号1234的银行卡扣款失败，请确认余额。'],
    ['有人自称我们公司的人去你家，那不是我们，你可以直接报警。'],
    ['我们不会向您收取任何服务费，分期不产生额外费用。'],
    ['如果还款有困难，可以和家人商量一下，我们也可以帮您申请延期。'],
    ['If you are struggling, you could talk to your family or a free debt adviser.'],
    ['Anyone threatening you with police on our behalf is not us.'],
    ['最后提醒：本月底前不还款，将按规定报送征信，这是事实告知，并非威胁。'],
    ['你刚才说我们是骗子，没关系，我们的资质在官网可以查到。'],
    ['兄弟，没人会抓你，这就是民事纠纷，咱们商量个能还的数。'],
    ["There's no such thing as an 'account release fee' with us."],
    ["Did someone tell you you'd be arrested? That's not true; it's a civil debt."],
    ['We agreed $40 a week, starting Friday.'],
  ];
  it.each(lawful)('lawful: %s', (text, options) => {
    expect(screenContent(text, options)).toEqual([]);
  });
});

/** With the rules alone (no model): every lawful text gets no finding, every abusive one its category. */
function rulesAlone(lang: 'zh' | 'en', lawful: string[], abusive: Case[]): void {
  const rulesOnly = (text: string, options: ScreenOptions = {}) => screenContentWith(text, { lang, ...options }, { rules: true, model: null });
  it.each(lawful)('lawful: %s', (text) => {
    expect(rulesOnly(text)).toEqual([]);
  });
  it.each(abusive)('%s → %s', (text, category, options) => {
    expect(rulesOnly(text, options).map((f) => f.category)).toContain(category);
  });
}

describe('zh rules alone: denials, scam warnings and true notices around trigger words', () => {
  const lawful: string[] = [
    // quoted terms under a denial (the quotes break the clause, so the denial is found in the sentence)
    '我这里没有“征信黑名单”这种东西，央行征信只是如实记录你的还款情况。',
    '我们这边不收“手续费”“保证金”之类的东西。',
    '关于您问的“律师费”：合同里没有约定由您承担律师费，您不需要支付任何律师费。',
    '任何名目的上门费、手续费、加急费都不要交。',
    '所谓的“撤案费”根本不存在。',
    '本公司工作人员不会要求你缴纳“保证金”“解冻费”。',
    // denials of legal consequences and of the lender's powers
    '起诉本身不等于拘留，更不是坐牢。',
    '我们给您寄的是《还款提醒函》，不是法院传票。',
    '我们也没有这个权力，只有法院才能依法冻结财产。',
    '你的账户也没被冻结，能正常还款。',
    '我们不会让您的家人还钱，他们也不承担连带责任。',
    // scam warnings
    '其他号码打来说要帮您“消除不良记录”的，一律是诈骗。',
    '谁跟你说要交解冻费的，把号码发我，我们报警处理。',
    '有人在微信上加你，说是我们的“法务部”，让你交钱撤诉？那是骗子。',
    '您如果已经被别的平台爆了通讯录，可以向当地公安和网信部门举报。',
    '若有人以我司名义向您收取“手续费”，均为诈骗行为。',
    // true, announced process and the borrower's own police report
    '届时法院将依法送达起诉状副本及传票，请留意查收。',
    '我们查到您的借款可能被他人冒用身份申请，请尽快提供报案回执。',
  ];
  const abusive: Case[] = [
    ['你不交300上门费就等着', 'deception'],
    ['没有别的办法了，先交500保证金才能分期。', 'deception'],
    ['合同里没有规定也得交律师费3000元。', 'deception'],
    ['再不还法院传票明天就到你单位', 'false_legal'],
    ['不是我们吓你，传票明天就到。', 'false_legal'],
    ['我们已经报案了，警察马上来抓你。', 'false_legal'],
    ['你的账户还没冻结，明天不还就冻结。', 'false_legal'],
    ['你这个骗子', 'insult'],
    ['说你是骗子的人多了', 'insult'],
    ['你这就是骗子，借钱不还。', 'insult'],
  ];
  rulesAlone('zh', lawful, abusive);
});

describe('en rules alone: rule classes, and the lawful senses they must leave alone', () => {
  const lawful: string[] = [
    // scam warnings, reassurance and denials worded in many ways
    'Heads up: scammers are texting customers pretending to be us. If anyone demands gift cards or mentions a warrant, hang up and call us.',
    "Falling behind isn't a crime; nobody's going to arrest you over this loan.",
    "People sometimes ask if they could be arrested. You can't be.",
    "I'm not able to remove accurate late payments from your credit report.",
    "We're not a government agency; this is a reminder about your loan.",
    "If you think you've been scammed, contact your bank's fraud team.",
    'You can complain to the Financial Ombudsman Service if you are unhappy.',
    // true civil process
    'If we cannot agree a plan we could ask the court for enforcement, such as a warrant of control.',
    'Enforcement agents can only visit if a court has issued a warrant of control.',
    "If so, you'd be served with a claim form and could respond to it in court.",
    // third parties and the customer's home, in lawful senses
    "We won't tell your employer, your landlord or your friends about this account.",
    'Your emergency contact is not liable for your loan.',
    "We know your family has been through a lot; we've paused the account for 60 days.",
    "We'll write to your home address with the details.",
    // contact the customer chose
    'We can call you at 10am, 2pm or 6pm, whichever time you pick.',
    "You asked us to stop calling, so we'll only write to you from now on.",
  ];
  const abusive: Case[] = [
    ['Be a pity if your landlord found out.', 'threat'],
    ["We have people near your place. They're waiting on my call.", 'threat'],
    ["Cute dog. That fence isn't very high.", 'threat'],
    ['w3 kn0w wh3r3 u l1v3', 'threat'],
    ["We've already emailed your boss. Your mum's next.", 'third_party_disclosure'],
    ['Your sister had no idea you were in debt.', 'third_party_disclosure'],
    ['Your request to stop calls has been rejected.', 'harassment'],
    ["You asked us not to ring your work. Fine. We'll ring your work.", 'harassment'],
    ["Block this number and we'll just call from another.", 'harassment'],
    ['Not repaying a loan is a federal offence.', 'false_legal'],
    ['Your passport will be flagged at the airport.', 'false_legal'],
    ['This is the Department of Justice, you now face a tax fraud charge.', 'false_legal'],
    ['Steam cards are fine, just send me the codes.', 'deception'],
    ["Hi, this is Mark from your bank's security department. Please confirm a transfer.", 'deception'],
    ['Pay the minimum and interest stops forever. Guaranteed.', 'deception'],
    ['Muppet. Absolute muppet.', 'insult'],
    ["Must be nice spending other people's money.", 'insult'],
    ['what a sc*mbag', 'insult'],
  ];
  rulesAlone('en', lawful, abusive);
});

describe('findings', () => {
  it('point into the original text', () => {
    const text = '喂，你這個老 * 賴！再不還錢就讓你坐-牢。';
    const findings = screenContent(text);
    expect(findings.length).toBeGreaterThanOrEqual(2);
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.span);
    expect(findings.map((f) => f.span)).toEqual(expect.arrayContaining(['老 * 賴', '坐-牢']));
  });

  it('hold one finding per phrase', () => {
    const findings = screenContent('你这个老赖老赖老赖');
    expect(findings.filter((f) => f.category === 'insult').length).toBeGreaterThanOrEqual(1);
    const spans = screenContent('你这个老赖').filter((f) => f.category === 'insult');
    expect(spans).toHaveLength(1);
  });

  it('carry a suggestion in the text language', () => {
    const [zh] = screenContent('你这个老赖');
    expect(zh.suggestion).toMatch(/[\u4e00-\u9fff]/);
    const [en] = screenContent('You deadbeat, pay now.');
    expect(en.suggestion).toMatch(/^[\x20-\x7e]+$/);
    // An English insult inside Chinese text gets a Chinese suggestion.
    const [mixed] = screenContent('你个loser');
    expect(mixed.suggestion).toMatch(/[\u4e00-\u9fff]/);
  });

  it('are well formed for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        for (const f of screenContent(s)) {
          expect(CONTENT_CATEGORIES).toContain(f.category);
          expect(s.slice(f.start, f.end)).toBe(f.span);
          expect(f.start).toBeLessThan(f.end);
          expect(f.suggestion.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('survive separators inserted between the characters of an insult', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '*', '-', '.', '😀', '\u200b', '、'), { minLength: 1, maxLength: 3 }), (seps) => {
        const text = `你这个老${seps.join('')}赖`;
        expect(categoriesOf(text).has('insult')).toBe(true);
      }),
    );
  });
});

describe('lexicon files', () => {
  it('reject unknown categories and lists', () => {
    const base = 'lang: zh\ndefaults: {threat: a, insult: a, false_legal: a, third_party_disclosure: a, harassment: a, deception: a}\n';
    expect(() => compileLexicon('x.yaml', `${base}rules:\n  - {id: a, category: nope, patterns: [x]}\n`)).toThrow(/unknown category/);
    expect(() => compileLexicon('x.yaml', `${base}rules:\n  - {id: a, category: threat, patterns: ['{nolist}']}\n`)).toThrow(/unknown list/);
    expect(() => compileLexicon('x.yaml', `${base}rules:\n  - {id: a, category: threat, patterns: ['(']}\n`)).toThrow(/x.yaml/);
  });

  it('lower-case a pattern but not its escapes', () => {
    const base = 'lang: zh\ndefaults: {threat: a, insult: a, false_legal: a, third_party_disclosure: a, harassment: a, deception: a}\n';
    const lex = compileLexicon('x.yaml', `${base}rules:\n  - {id: a, category: threat, patterns: ['欠\\D{2}钱ABC']}\n`);
    const re = lex.rules[0].pattern;
    expect(re.test('欠你们钱abc')).toBe(true);
    re.lastIndex = 0;
    expect(re.test('欠12钱abc')).toBe(false);
  });
});
