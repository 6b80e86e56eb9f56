// What a citizen types, checked and normalised: ID number (GB 11643 checksum), name, phone,
// email, password (the platform's level-3 policy), and how a login names an account.
import { parseIdNumber } from '../../../platform/codes/id-number.ts';
import { ValidationError, type FieldError } from '../../../platform/errors.ts';
import { checkPasswordPolicy } from '../../../platform/password.ts';

const ID_PROBLEMS = {
  format: ['must be 18 characters: 17 digits and a final digit or X', '须为 18 位：17 位数字加 1 位数字或 X'],
  birth_date: ['holds a birth date that does not exist; check the digits 7 to 14', '其中的出生日期（第 7 至 14 位）不存在，请检查'],
  check_character: ['has a wrong check character: a digit is mistyped; check the number on your ID card', '校验码不符，可能有数字输入错误，请对照身份证核对'],
} as const;

/** The normalised ID number, or a field error naming `field`. */
export function idNumberOf(raw: string, field = 'idNumber'): { value: string } | { error: FieldError } {
  const parsed = parseIdNumber(raw.trim());
  if ('problem' in parsed) {
    const [message, messageZh] = ID_PROBLEMS[parsed.problem];
    return { error: { field, code: `id_number_${parsed.problem}`, message, messageZh } };
  }
  return { value: parsed.normalized };
}

export function normalisePhone(raw: string): string {
  return raw.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
}

const PHONE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export type RegistrationInput = { idNumber: string; name: string; phone?: string; email?: string; password: string };
export type Registration = { idNumber: string; name: string; phone: string | null; email: string | null; password: string };

/** Every problem of a registration at once, each naming its field; or the normalised values. */
export function checkRegistration(input: RegistrationInput): Registration {
  const errors: FieldError[] = [];
  const id = idNumberOf(input.idNumber);
  if ('error' in id) errors.push(id.error);
  const name = input.name.normalize('NFKC').trim();
  if (name.length < 1 || name.length > 50) errors.push({ field: 'name', code: 'length', message: 'must be 1 to 50 characters, as on your ID card', messageZh: '须为 1 至 50 个字符，与身份证一致' });
  const phone = input.phone?.trim() ? normalisePhone(input.phone) : null;
  if (phone !== null && !PHONE.test(phone)) errors.push({ field: 'phone', code: 'phone_format', message: 'must be a mainland China mobile number of 11 digits starting with 1', messageZh: '须为以 1 开头的 11 位中国大陆手机号码' });
  const email = input.email?.trim() ? input.email.trim() : null;
  if (email !== null && (email.length > 254 || !EMAIL.test(email))) errors.push({ field: 'email', code: 'email_format', message: 'must be an email address such as name@example.cn', messageZh: '须为电子邮箱地址，如 name@example.cn' });
  if (phone === null && email === null) errors.push({ field: 'phone', code: 'contact_required', message: 'give a mobile number or an email address (or both): password resets are sent there', messageZh: '请填写手机号码或电子邮箱（或两者）：重置密码的验证码将发送至此' });
  const weak = passwordProblem(input.password, 'password', 'value' in id ? id.value : undefined);
  if (weak) errors.push(weak);
  if (errors.length > 0) throw new ValidationError(errors);
  return { idNumber: (id as { value: string }).value, name, phone, email: email?.toLowerCase() ?? null, password: input.password };
}

/** The platform's password policy, and not the ID number within it. */
export function passwordProblem(password: string, field: string, idNumber?: string): FieldError | undefined {
  const problem = checkPasswordPolicy(password);
  if (problem) return { field, ...problem };
  if (idNumber && (password.toUpperCase().includes(idNumber) || password.includes(idNumber.slice(6, 14)))) {
    return { field, code: 'weak_password', message: 'must not contain your ID number or birth date', messageZh: '不得包含身份证号码或出生日期' };
  }
  return undefined;
}

/** How a login names an account: an ID number, an email address or a phone number. */
export function loginOf(raw: string): { idNumber?: string; phone?: string; email?: string } {
  const value = raw.trim();
  if (value.includes('@')) return { email: value.toLowerCase() };
  const id = idNumberOf(value);
  if ('value' in id) return { idNumber: id.value };
  const phone = normalisePhone(value);
  return PHONE.test(phone) ? { phone } : {};
}
