// Bilingual reason messages, `中文 / English`: agents read the Chinese, auditors abroad the English.
import type { Channel, Weekday } from './types.js';

const CHANNEL_ZH: Record<Channel, string> = {
  call: '电话',
  voice_robot: '机器人外呼',
  sms: '短信',
  email: '电子邮件',
  letter: '信函',
  visit: '上门',
  chat: '在线聊天',
};

const WEEKDAY_ZH: Record<Weekday, string> = {
  monday: '周一',
  tuesday: '周二',
  wednesday: '周三',
  thursday: '周四',
  friday: '周五',
  saturday: '周六',
  sunday: '周日',
};

export const messages = {
  outsideHours: (from: string, to: string) => `不在允许的催收时间内 (${from}-${to}) / outside allowed hours`,
  outsidePreferredHours: (from: string, to: string) =>
    `不在借款人指定的联系时间内 (${from}-${to}) / outside the borrower's preferred hours (${from}-${to})`,
  preferredHoursNeverOpen: (from: string, to: string, policyFrom: string, policyTo: string) =>
    `借款人指定的联系时间 (${from}-${to}) 与允许时间 (${policyFrom}-${policyTo}) 不重叠 / the borrower's preferred hours (${from}-${to}) never fall inside allowed hours (${policyFrom}-${policyTo})`,
  quietDay: (day: Weekday) =>
    `借款人要求${WEEKDAY_ZH[day]}不被联系 / the borrower asked not to be contacted on ${day[0].toUpperCase()}${day.slice(1)}`,
  otherTimezone: (zone: string) =>
    `在借款人可能所在的时区 ${zone} 不在允许时间内 / outside allowed hours in ${zone}, where the borrower may be`,
  dailyConversations: (n: number) =>
    `今日与借款人的有效通话已达 ${n} 次 / the daily limit of ${n} conversations with the borrower is reached`,
  dailyAttempts: (n: number) =>
    `今日对该号码的呼叫已达 ${n} 次 / the daily limit of ${n} call attempts to this number is reached`,
  channelDaily: (channel: Channel, n: number) =>
    `今日${CHANNEL_ZH[channel]}已达 ${n} 条 / the lender's daily limit of ${n} ${channel} messages is reached`,
  weeklyCalls: (n: number) =>
    `连续 7 天内已呼叫 ${n} 次 / ${n} calls were already placed within 7 consecutive days`,
  recentConversation: (days: number) =>
    `${days} 天内已有电话沟通 / a telephone conversation took place within the last ${days} days`,
  thirdPartyPurpose: () =>
    `联系第三方仅限于寻找借款人 / a third party may be contacted only to locate the borrower`,
  thirdPartyRefused: () => `该联系人已拒绝被联系 / this person has refused further contact`,
  thirdPartyBorrowerReachable: () =>
    `借款人可联系时不得联系第三方 / a third party may be contacted only while the borrower is unreachable, deceased or incapacitated`,
  ceaseWritten: () =>
    `借款人已要求停止联系，仅可通过信函或电子邮件 / the borrower asked us to stop; only letter or email remain`,
  ceaseLetterOnly: () =>
    `借款人已书面要求停止联系，仅可寄送确认信函 / the borrower asked in writing to stop; only a letter confirming it may be sent`,
  represented: () =>
    `借款人已委托律师或债务顾问，不得直接联系 / the borrower is represented by a lawyer or debt adviser; no contact`,
  dispute: () => `异议处理中，暂停催收 / a dispute is pending; collection contact is paused`,
  optedOut: (channel: Channel) =>
    `借款人已退订${CHANNEL_ZH[channel]}渠道 / the borrower opted out of ${channel}`,
  vulnerable: () => `脆弱客户，暂停催收，仅可提供支持 / vulnerable borrower; collection paused, support only`,
  breathingSpace: () => `债务喘息期内，暂停催收 / breathing space; collection contact is paused`,
  capacity: () =>
    `借款人可能缺乏行为能力，暂停催收 / the borrower may lack mental capacity; collection contact is paused`,
  deceased: () => `借款人已故，不得联系 / the borrower is deceased; no contact`,
  prohibitedContent: (categories: readonly string[]) =>
    `内容含有违规表述 (${categories.join(', ')}) / the content contains prohibited wording (${categories.join(', ')})`,
  missingOptOutNotice: () =>
    `短信或邮件须告知退订方式 (如 回复TD退订 / Reply STOP) / the message must say how to opt out (e.g. Reply STOP)`,
} as const;
