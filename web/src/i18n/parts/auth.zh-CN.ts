// The workbench's sign-in page: staff sign in through the platform's unified sign-in (OpenID Connect).
export const authZhCN = {
  'signIn.platform.intro': '工作台使用平台统一身份认证。点击下方按钮，在统一身份认证页面输入您的工作账号和密码，完成后将回到工作台。',
  'signIn.platform.button': '通过统一身份认证登录',
  'signIn.platform.failed': '登录没有完成，可能是登录页面停留过久或在别的窗口重新发起了登录。请再点击一次登录；如果仍然不行，请联系管理员。',
  'signIn.platform.cancelled': '您在统一身份认证页面取消了登录。需要时可以再次登录。',
  'signIn.platform.notStaff': '工作台只供工作人员使用，您刚才登录的是公众或企业账户。请退出统一身份认证后，用工作人员账号登录。',
} as const;
