"""Translation helpers (oslo.i18n)."""
import oslo_i18n

_translators = oslo_i18n.TranslatorFactory(domain='watcher')

_ = _translators.primary
