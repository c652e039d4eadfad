import { useTranslation } from 'react-i18next';

/**
 * Recovery codes shown once, to keep: listed, downloadable as a text file and printable (the print
 * shows these codes alone). Nothing is sent anywhere: the file is made in the page.
 */
export function RecoveryCodes(props: { codes: string[]; username: string }) {
  const { t, i18n } = useTranslation();
  const download = () => {
    const lines = [
      t('auth.recoveryFileTitle', { username: props.username }),
      new Date().toLocaleString(i18n.language),
      '',
      ...props.codes,
      '',
      t('auth.recoveryIntro'),
      '',
    ];
    const url = URL.createObjectURL(new Blob([lines.join('\r\n')], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `hotline-recovery-codes-${props.username}.txt`;
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 1000);
  };
  return (
    <div className="printable">
      <p className="print-only">{t('auth.recoveryFileTitle', { username: props.username })}</p>
      <ol className="codes" data-testid="recovery-codes">
        {props.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="row wrap no-print">
        <button type="button" onClick={download} data-testid="download-codes">
          {t('auth.downloadCodes')}
        </button>
        <button
          type="button"
          onClick={() => {
            window.print();
          }}
        >
          {t('auth.printCodes')}
        </button>
      </div>
    </div>
  );
}
