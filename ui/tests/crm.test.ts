import { describe, expect, it } from 'vitest';
import { buildCrmUrl, crmFields } from '../src/logic/crm';
import { isDialable, maskNumber, normalizeNumber, shownNumber } from '../src/logic/mask';
import { makeCall } from './fixtures';

describe('CRM URL templating', () => {
  const fields = crmFields(makeCall({ id: '1718.42', queue: '售后 A&B' }), '8005');

  it('fills every placeholder, URL-encoded', () => {
    const url = buildCrmUrl(
      'https://crm.example.com/c?phone={phone}&id={callid}&did={did}&q={queue}&a={agent}',
      fields,
    );
    expect(url).toBe(
      'https://crm.example.com/c?phone=13800138000&id=1718.42&did=4008001234&q=%E5%94%AE%E5%90%8E%20A%26B&a=8005',
    );
  });

  it('encodes characters that would change the URL', () => {
    const f = { ...fields, phone: '+86 10#1?x=1' };
    expect(buildCrmUrl('http://crm/?p={phone}', f)).toBe('http://crm/?p=%2B86%2010%231%3Fx%3D1');
  });

  it('leaves unknown placeholders and fills missing values with nothing', () => {
    const f = crmFields(makeCall({ did: null }), '8005');
    expect(buildCrmUrl('http://crm/?d={did}&x={other}', f)).toBe('http://crm/?d=&x={other}');
  });

  it('accepts only http(s) results', () => {
    expect(buildCrmUrl('javascript:alert({phone})', fields)).toBeNull();
    expect(buildCrmUrl('  ', fields)).toBeNull();
  });
});

describe('masking', () => {
  it('keeps the first 3 and last 4 digits of a mobile number', () => {
    expect(maskNumber('13800138000')).toBe('138****8000');
  });

  it('keeps the last 4 of shorter numbers and nothing of very short ones', () => {
    expect(maskNumber('82754888')).toBe('****4888');
    expect(maskNumber('2012')).toBe('****');
  });

  it('masks only when the call says so', () => {
    expect(shownNumber('13800138000', false)).toBe('13800138000');
    expect(shownNumber('13800138000', true)).toBe('138****8000');
  });

  it('normalizes and checks numbers as the servers take them', () => {
    expect(normalizeNumber(' 138-0013 8000 ')).toBe('13800138000');
    expect(isDialable('+8613800138000')).toBe(true);
    expect(isDialable('*72#')).toBe(true);
    expect(isDialable('1+2')).toBe(false);
    expect(isDialable('')).toBe(false);
  });
});
