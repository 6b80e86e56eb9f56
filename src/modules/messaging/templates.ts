// The message templates, in code so that a sender's variables are checked by the compiler
// and a template cannot be edited into something that leaks data. Each has a subject and a
// plain-text body in both languages with {placeholders}; the recipient's language picks one.
// A variable may be given in both languages (suffix Zh and En, e.g. whatZh, whatEn): each
// language's text uses its own.
import { ValidationError, type FieldError } from '../../platform/errors.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a message is about; a recipient chooses channels per category. */
export const CATEGORIES = {
  account: { nameZh: '账户与安全', nameEn: 'Account and security', defaults: { email: true, sms: true } },
  authorization: { nameZh: '授权与代理', nameEn: 'Authorizations and agents', defaults: { email: true, sms: false } },
  notice: { nameZh: '通知公告', nameEn: 'Notices', defaults: { email: false, sms: false } },
  services: { nameZh: '办事进度', nameEn: 'Your applications', defaults: { email: true, sms: true } },
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_KEYS = Object.keys(CATEGORIES) as Category[];

type Text = { subject: string; body: string };
type TemplateDef = {
  category: Category;
  /** The variables every text uses; a send without one of them is refused. */
  vars: readonly string[];
  /** A one-time secret (a code): kept out of the inbox, its body erased once delivered. */
  sensitive?: boolean;
  text: Record<Language, Text>;
};

export const TEMPLATES = {
  verification_code: {
    category: 'account',
    vars: ['code', 'minutes'],
    sensitive: true,
    text: {
      'zh-CN': { subject: '您的验证码', body: '您的验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人；如非本人操作，请忽略本消息。' },
      en: { subject: 'Your verification code', body: 'Your verification code is {code}. It is valid for {minutes} minutes. Do not share it; if you did not ask for it, ignore this message.' },
    },
  },
  password_reset_code: {
    category: 'account',
    vars: ['code', 'minutes'],
    sensitive: true,
    text: {
      'zh-CN': { subject: '重置密码验证码', body: '您正在重置密码，验证码是 {code}，{minutes} 分钟内有效。如非本人操作，请勿泄露验证码并尽快修改密码。' },
      en: { subject: 'Password reset code', body: 'You asked to reset your password. Your code is {code}, valid for {minutes} minutes. If this was not you, do not share the code and change your password soon.' },
    },
  },
  account_deleted: {
    category: 'account',
    vars: ['name', 'date'],
    text: {
      'zh-CN': { subject: '您的账户已注销', body: '{name}，您的账户已于 {date} 注销。依照法律规定须保存的记录将继续保存，保存期满后删除。如非本人操作，请联系平台客服。' },
      en: { subject: 'Your account has been deleted', body: '{name}, your account was deleted on {date}. Records the law requires us to keep are kept until their retention period ends. If this was not you, contact the platform help desk.' },
    },
  },
  agent_authorized: {
    category: 'authorization',
    vars: ['enterprise', 'services', 'until'],
    text: {
      'zh-CN': { subject: '您已被授权为{enterprise}的经办人', body: '{enterprise} 已授权您代为办理以下事项：{services}。授权有效期至 {until}。' },
      en: { subject: 'You are now an agent of {enterprise}', body: '{enterprise} has authorized you to act for it in: {services}. The authorization is valid until {until}.' },
    },
  },
  agent_revoked: {
    category: 'authorization',
    vars: ['enterprise'],
    text: {
      'zh-CN': { subject: '{enterprise}已撤销您的经办授权', body: '{enterprise} 已撤销您的经办授权，您不能再代其办理事项。如有疑问，请联系该企业。' },
      en: { subject: '{enterprise} has revoked your authorization', body: '{enterprise} has revoked your authorization; you can no longer act for it. Ask the enterprise if you have questions.' },
    },
  },
  application_update: {
    category: 'services',
    vars: ['number', 'service', 'whatZh', 'whatEn'],
    text: {
      'zh-CN': { subject: '您的办件 {number} 有新进展', body: '您申请的“{service}”（受理编号 {number}）：{whatZh}。请登录政务服务网“我的空间”查看详情。' },
      en: { subject: 'News on your application {number}', body: 'Your application for "{service}" ({number}): {whatEn}. Sign in to the portal and open "My space" for the details.' },
    },
  },
  application_message: {
    category: 'services',
    vars: ['number', 'service', 'text'],
    text: {
      'zh-CN': { subject: '关于您的办件 {number} 的消息', body: '您申请的“{service}”（受理编号 {number}）的承办部门给您留言：{text}' },
      en: { subject: 'A message about your application {number}', body: 'The department handling your application for "{service}" ({number}) writes: {text}' },
    },
  },
  notice: {
    category: 'notice',
    vars: ['title', 'text'],
    text: {
      'zh-CN': { subject: '{title}', body: '{text}' },
      en: { subject: '{title}', body: '{text}' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

export type TemplateKey = keyof typeof TEMPLATES;
export const TEMPLATE_KEYS = Object.keys(TEMPLATES) as TemplateKey[];
export type TemplateVars<K extends TemplateKey> = Record<(typeof TEMPLATES)[K]['vars'][number], string | number>;

export function isTemplateKey(key: string): key is TemplateKey {
  return Object.hasOwn(TEMPLATES, key);
}

export function isCategory(key: string): key is Category {
  return Object.hasOwn(CATEGORIES, key);
}

export function templateOf(key: TemplateKey): TemplateDef {
  return TEMPLATES[key];
}

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/** The placeholders a text names, for the registry's own test. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * The subject and body in one language. A variable the template names and the caller did not
 * give (or gave empty) is an error naming it: a message with a hole is never sent.
 */
export function render(key: TemplateKey, language: Language, vars: Record<string, unknown>): Text {
  const template = templateOf(key);
  const errors: FieldError[] = [];
  for (const name of template.vars) {
    const value = vars[name];
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '')
      errors.push({ field: `vars.${name}`, code: 'template_variable_missing', message: `the template ${key} needs the variable ${name}`, messageZh: `模板 ${key} 需要变量 ${name}` });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => String(vars[name]));
  const text = template.text[language];
  // A subject is one line, whatever a variable holds.
  return { subject: fill(text.subject).replace(/[\r\n]+/g, ' '), body: fill(text.body) };
}
