<?xml version="1.0" encoding="UTF-8"?>
<!--
  The interface's words: f:msg('key') is the text of a key in the edition's interface language
  ([edition] language: its primary subtag, "de-CH" → de), from the message catalogues
  (toolkit/messages/<code>.json, read by toolkit/messages for Python). A key the language lacks
  falls back to English; a language without a catalogue is English throughout.

  $messages-href: every catalogue as one XML document (<messages><catalogue lang><m key>…), read
  when the stylesheet compiles (static, like classes.xsl): the toolkit passes it as a data: URI
  (toolkit/saxon.py). Its default, '', gives no messages: f:msg then returns the key.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <xsl:param name="messages-href" static="yes" as="xs:string" select="''"/>
  <xsl:variable name="fp:messages" static="yes" as="map(xs:string, map(xs:string, xs:string))"
    select="map:merge((if ($messages-href = '') then () else doc($messages-href))/messages/catalogue
      ! map{string(@lang): map:merge(m ! map{string(@key): string(.)})})"/>

  <!-- the interface language: the catalogue of the configured language's primary subtag, else en -->
  <xsl:variable name="f:ui-lang" as="xs:string" select="
    let $primary := tokenize(string(f:lang($edition-context/*[1]/@lang)), '-')[1]
    return if ($primary and map:contains($fp:messages, $primary)) then $primary else 'en'"/>
  <xsl:variable name="fp:catalogue" as="map(xs:string, xs:string)"
    select="($fp:messages($f:ui-lang), map{})[1]"/>
  <xsl:variable name="fp:english" as="map(xs:string, xs:string)" select="($fp:messages('en'), map{})[1]"/>

  <xsl:function name="f:msg" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="($fp:catalogue($key), $fp:english($key), $key)[1]"/>
  </xsl:function>

  <!-- the text of a key, () when no catalogue has it (a label with a fallback of its own) -->
  <xsl:function name="f:msg-opt" as="xs:string?">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="($fp:catalogue($key), $fp:english($key))[1]"/>
  </xsl:function>

  <!-- with placeholders: f:msg('listing.title-page', map{'n': 2}) fills "{n}" -->
  <xsl:function name="f:msg" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="params" as="map(*)"/>
    <xsl:sequence select="fp:fill(f:msg($key), $params)"/>
  </xsl:function>

  <!-- a text with markup in it: each placeholder "{name}" replaced by the nodes $parts gives it
       (f:msg-nodes('home.all', map{'docs': $link}): "All {docs} in date order") -->
  <xsl:function name="f:msg-nodes" as="item()*">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="parts" as="map(*)"/>
    <xsl:for-each select="analyze-string(f:msg($key), '\{[a-z][a-z0-9_-]*\}')/*">
      <xsl:variable name="k" select="substring(., 2, string-length(.) - 2)"/>
      <xsl:choose>
        <xsl:when test="self::*:match and map:contains($parts, $k)"><xsl:sequence select="$parts($k)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

  <!-- a count's text ("{n} documents"): the key of n's plural category, else key.other -->
  <xsl:function name="f:msg-n" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="f:msg-n($key, $n, map{})"/>
  </xsl:function>

  <xsl:function name="f:msg-n" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="params" as="map(*)"/>
    <xsl:variable name="text" select="($fp:catalogue($key || '.' || fp:plural($f:ui-lang, $n)),
      $fp:catalogue($key || '.other'), $fp:english($key || '.' || fp:plural('en', $n)),
      $fp:english($key || '.other'), $key)[1]"/>
    <xsl:sequence select="fp:fill($text, map:put($params, 'n', $n))"/>
  </xsl:function>

  <xsl:function name="fp:fill" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="params" as="map(*)"/>
    <xsl:sequence select="string-join(for $part in analyze-string($text, '\{[a-z][a-z0-9_-]*\}')/* return
      if ($part/self::*:match) then (let $k := substring(string($part), 2, string-length($part) - 2)
        return if (map:contains($params, $k)) then string($params($k)) else string($part))
      else string($part), '')"/>
  </xsl:function>

  <!-- CLDR plural category of a whole number (toolkit/messages, plural_category) -->
  <xsl:function name="fp:plural" as="xs:string">
    <xsl:param name="lang" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="a" select="abs($n)"/>
    <xsl:sequence select="
      if ($lang = 'fr') then (if ($a = (0, 1)) then 'one' else 'other')
      else if ($lang = 'ru') then (
        if ($a mod 10 = 1 and $a mod 100 != 11) then 'one'
        else if ($a mod 10 = (2, 3, 4) and not($a mod 100 = (12, 13, 14))) then 'few' else 'many')
      else if ($lang = 'ar') then (
        if ($a = 0) then 'zero' else if ($a = 1) then 'one' else if ($a = 2) then 'two'
        else if ($a mod 100 ge 3 and $a mod 100 le 10) then 'few'
        else if ($a mod 100 ge 11) then 'many' else 'other')
      else if ($lang = ('zh', 'ja', 'ko')) then 'other'
      else if ($a = 1) then 'one' else 'other'"/>
  </xsl:function>

  <!-- A language's name in the interface language, by its primary subtag ("de" → "German",
       "Deutsch" …; the names of xslt/lib/tei-classes.xml, language-names, as keys language.*);
       () for a language the table does not name. -->
  <xsl:function name="f:language-name" as="xs:string?">
    <xsl:param name="primary" as="xs:string"/>
    <xsl:variable name="english" select="$c:language-names($primary)"/>
    <xsl:sequence select="if (exists($english)) then (f:msg-opt('language.' || lower-case(replace($english, ' ', '-'))), $english)[1] else ()"/>
  </xsl:function>

  <!-- the messages the page's scripts use (keys js.*), as JSON, made once per transform (for the data-messages attribute
       of xslt/html/layout.xsl; "<" escaped all the same) -->
  <xsl:variable name="f:script-messages" as="xs:string">
    <xsl:variable name="keys" select="distinct-values((map:keys($fp:english), map:keys($fp:catalogue))[starts-with(., 'js.')])"/>
    <!-- with the date style (xslt/lib/tei.xsl): the citation's access date is written by the script -->
    <xsl:sequence select="replace(serialize(map:merge((for $k in sort($keys) return map{substring($k, 4): f:msg($k)},
      map{'date-day': $fp:date-style?day, 'date-months': array{$fp:date-style?months}})),
      map{'method': 'json'}), '&lt;', '\\u003c')"/>
  </xsl:variable>
</xsl:stylesheet>
