<?xml version="1.0" encoding="UTF-8"?>
<!--
  The TEI rules every output shares (HTML and PDF), each decided once: the reading text of an
  element, the alternative a choice reads as, the reading of an apparatus. Imported by
  common.xsl. Where Python needs the same fact it has a twin in toolkit/tei/ (named in each
  function's comment); tests/model/test_rules_parity.py runs the same inputs through both.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <xsl:import href="classes.xsl"/>
  <xsl:include href="script.xsl"/>
  <xsl:include href="messages.xsl"/>

  <!-- ============================================================================ titles -->
  <!-- The title element of a teiHeader, by the rule of toolkit/tei/facts.py (title_element):
       titles that are empty or only a date (a date-ish @type, or reading text that is only an ISO
       date) are left out when there is another; then the main title, the analytic one, the first
       that is not a series/journal/monograph title nor a subtitle, alternative or short title,
       the first. Empty and date-only are judged on the reading text (f:reading-text). -->
  <xsl:function name="f:title-element" as="element()?">
    <xsl:param name="header" as="element()?"/>
    <xsl:variable name="all" select="$header/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="named" select="$all[f:reading-text(.) != '']"/>
    <xsl:variable name="undated" select="$named[not(lower-case(@type) = ('iso-date', 'isodate', 'date', 'when', 'dating'))
      and not(matches(f:reading-text(.), '^-?\d{4}(-\d{2}(-\d{2})?)?(\s*(/|–|-{1,2})\s*-?\d{4}(-\d{2}(-\d{2})?)?)?$'))]"/>
    <xsl:variable name="titles" select="if (exists($undated)) then $undated else if (exists($named)) then $named else $all"/>
    <xsl:sequence select="($titles[@type = 'main'], $titles[@level = 'a'], $titles[not(@level = ('s', 'j', 'm')) and not(@type = ('sub', 'alt', 'short'))], $titles)[1]"/>
  </xsl:function>

  <!-- The edition's title: its edition file's title (the same rule as a document's), else the
       configured title of the context, else "TEI edition". HTML's site title and the PDF
       volume's. -->
  <xsl:function name="f:edition-title" as="xs:string">
    <xsl:param name="edition-file" as="document-node()?"/>
    <xsl:param name="context" as="document-node()?"/>
    <xsl:variable name="own" select="f:reading-text(f:title-element($edition-file/tei:TEI/tei:teiHeader))"/>
    <xsl:sequence select="($own[. != ''], normalize-space($context/edition/@title)[. != ''], f:msg('edition.default-title'))[1]"/>
  </xsl:function>

  <!-- ============================================================================= notes -->
  <!-- Whether a note stands beside the text (in the margin) rather than as a numbered note: by
       its @type (class marginal-types: handwritten, marginal, gloss), any @hand, or a token of
       its @place (class marginal-places). The HTML page and the PDF both place notes by it.
       toolkit/tei/notes.py, is_marginal. -->
  <xsl:function name="f:is-marginal" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/@type = $c:marginal-types or exists($note/@hand)
      or tokenize(string($note/@place), '[ \t\r\n]+') = $c:marginal-places"/>
  </xsl:function>

  <!-- ============================================================================= hands -->
  <!-- The handNote a hand pointer names ("#h2", "hands.xml#h2", "h2": by the id after the last
       "#"), in the document of $from; by a key (a manuscript with a change of hand every few
       lines would otherwise search the whole document each time). -->
  <xsl:key name="fp:hand-note" match="tei:handNote[@xml:id]" use="string(@xml:id)"/>
  <xsl:function name="f:hand-note" as="element()?">
    <xsl:param name="hand" as="xs:string?"/>
    <xsl:param name="from" as="node()"/>
    <xsl:variable name="id" select="fp:hand-id($hand)"/>
    <xsl:sequence select="if (not($id)) then ()
      else if (root($from) instance of document-node()) then key('fp:hand-note', $id, root($from))[1]
      else (root($from)//tei:handNote[@xml:id = $id])[1]"/>
  </xsl:function>

  <!-- The label of the hand a pointer names, as both outputs print it ("hand: archive"): its
       handNote's label (f:hand-note-label); a pointer that names no handNote of the document by
       its id without a leading "hand-"; () for an empty pointer. toolkit/tei/notes.py,
       hand_label. -->
  <xsl:function name="f:hand-label" as="xs:string?">
    <xsl:param name="hand" as="xs:string?"/>
    <xsl:param name="from" as="node()"/>
    <xsl:variable name="note" select="f:hand-note($hand, $from)"/>
    <xsl:sequence select="if (exists($note)) then f:hand-note-label($note)
      else fp:hand-id($hand)[. != ''] ! replace(., '^hand-', '')"/>
  </xsl:function>

  <!-- A handNote's label: its @n; else the scribe's name (its persName, @scribe, or the id
       @scribeRef points at); else its id without a leading "hand-"; else "". toolkit/tei/notes.py,
       hand_note_label. -->
  <xsl:function name="f:hand-note-label" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="((normalize-space($note/@n), normalize-space($note/tei:persName[1]),
      normalize-space($note/@scribe), fp:hand-id($note/@scribeRef),
      replace(normalize-space($note/@xml:id), '^hand-', ''))[. != ''], '')[1]"/>
  </xsl:function>

  <!-- the id a pointer names: its first token, after the last "#" -->
  <xsl:function name="fp:hand-id" as="xs:string">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="replace(string(tokenize(normalize-space($pointer), ' ')[1]), '^.*#', '')"/>
  </xsl:function>

  <!-- ========================================================================= languages -->
  <!-- The language tag the outputs write for an xml:lang (or the configured language), kept
       whole as far as it is a well-formed BCP 47 tag: language, script, region, variant,
       extension and private-use subtags ("ar-Latn-x-ijmes", "sa-Latn", "de-CH-1996",
       "en-u-ca-gregory"; "_" read as "-"), in the conventional case ("zh-hant-tw" →
       "zh-Hant-TW"). A three-letter primary subtag that has an ISO 639-1 code becomes that code
       ("fra-CA" → "fr-CA", "geo" → "ka"), other three-letter codes stay ("grc", "syc"); an
       extended-language subtag stands for its language ("zh-yue" → "yue"). Left out: a script
       not in ISO 15924 ("sr-Cryl"), a region not in ISO 3166 ("en-UK"), a subtag out of its
       place or of no subtag's form, a repeated variant or singleton, a singleton with no
       subtag. () for no language: an unknown two-letter code ("xx"), "und", a tag that is not
       one. The HTML's @lang, the PDF's language switches (their primary subtag).
       toolkit/tei/lang.py, lang_tag. -->
  <xsl:function name="f:lang" as="xs:string?" cache="yes">
    <xsl:param name="tag" as="xs:string?"/>
    <xsl:variable name="parts" select="tokenize(lower-case(translate(normalize-space($tag), '_', '-')), '-')"/>
    <xsl:variable name="primary" select="$parts[1]"/>
    <xsl:variable name="language" select="if (not(matches($primary, '^([a-z]{2,3}|x)$'))) then ()
      else if (string-length($primary) = 3) then ($c:iso639-3to1($primary), $primary[. != 'und'])[1]
      else if ($primary = 'x') then 'x' else $primary[. = $c:iso639-1]"/>
    <xsl:if test="exists($language)">
      <xsl:variable name="extlang" select="$parts[2][$language != 'x' and matches(., '^[a-z]{3}$')]"/>
      <xsl:variable name="all" as="xs:string*">
        <xsl:iterate select="$parts[position() gt (if (exists($extlang)) then 2 else 1)]">
          <!-- state: 'main' (script, region, variants), 'ext' (an extension), 'skip' (a
               repeated singleton's subtags), 'x' (private use); stage: 0 script next, 1 region,
               2 variants only; open: the last subtag kept is a singleton with no subtag yet -->
          <xsl:param name="kept" as="xs:string*" select="($extlang, $language)[1]"/>
          <xsl:param name="state" as="xs:string" select="if ($language = 'x') then 'x' else 'main'"/>
          <xsl:param name="stage" as="xs:integer" select="0"/>
          <xsl:param name="open" as="xs:boolean" select="false()"/>
          <xsl:on-completion select="if ($open) then $kept[position() lt last()] else $kept"/>
          <xsl:variable name="p" select="."/>
          <xsl:variable name="closed" select="if ($open) then $kept[position() lt last()] else $kept"/>
          <xsl:choose>
            <xsl:when test="$state = 'x' and not(matches($p, '^[a-z0-9]{1,8}$'))"><xsl:break select="$closed"/></xsl:when>
            <xsl:when test="$state = 'x' or ($state = 'ext' and matches($p, '^[a-z0-9]{2,8}$'))">
              <xsl:next-iteration>
                <xsl:with-param name="kept" select="($kept, $p)"/>
                <xsl:with-param name="open" select="false()"/>
              </xsl:next-iteration>
            </xsl:when>
            <xsl:when test="matches($p, '^[a-z0-9]$')">
              <xsl:variable name="new" select="not($p = $closed)"/>
              <xsl:next-iteration>
                <xsl:with-param name="kept" select="($closed, $p[$new])"/>
                <xsl:with-param name="state" select="if (not($new)) then 'skip' else if ($p = 'x') then 'x' else 'ext'"/>
                <xsl:with-param name="open" select="$new"/>
              </xsl:next-iteration>
            </xsl:when>
            <xsl:when test="$state != 'main'"/>
            <xsl:when test="$stage = 0 and string-length($p) = 4
                            and (upper-case(substring($p, 1, 1)) || substring($p, 2)) = $c:iso15924">
              <xsl:next-iteration>
                <xsl:with-param name="kept" select="($kept, upper-case(substring($p, 1, 1)) || substring($p, 2))"/>
                <xsl:with-param name="stage" select="1"/>
              </xsl:next-iteration>
            </xsl:when>
            <xsl:when test="$stage le 1 and upper-case($p) = $c:iso3166">
              <xsl:next-iteration>
                <xsl:with-param name="kept" select="($kept, upper-case($p))"/>
                <xsl:with-param name="stage" select="2"/>
              </xsl:next-iteration>
            </xsl:when>
            <xsl:when test="matches($p, '^([a-z0-9]{5,8}|[0-9][a-z0-9]{3})$') and not($p = $kept)">
              <xsl:next-iteration>
                <xsl:with-param name="kept" select="($kept, $p)"/>
                <xsl:with-param name="stage" select="2"/>
              </xsl:next-iteration>
            </xsl:when>
          </xsl:choose>
        </xsl:iterate>
      </xsl:variable>
      <xsl:sequence select="if (deep-equal($all, 'x')) then () else string-join($all, '-')"/>
    </xsl:if>
  </xsl:function>

  <!-- ============================================================================= names -->
  <!-- The key a name sorts by in every index: without accents (NFKD, marks dropped), case-folded
       (lower case; ß as ss, ς as σ), white space collapsed, leading initials and articles dropped
       ("I. V. Stalin" → "stalin", "The Emperor" → "emperor"); a name that is nothing but these
       keeps them. The model ships each entity's key (the context's entity/@sort); this is for
       names that have no entity (the PDF's index of other names). toolkit/tei/names.py,
       sort_key. -->
  <xsl:function name="f:sort-key" as="xs:string">
    <xsl:param name="name" as="xs:string?"/>
    <xsl:variable name="s" select="normalize-space(replace(replace(lower-case(
      replace(normalize-unicode(string($name), 'NFKD'), '\p{M}', '')), 'ß', 'ss'), 'ς', 'σ'))"/>
    <xsl:sequence select="(replace($s, '^((\p{L}\.\s*)+|(the|an?)\s+)', '')[. != ''], $s)[1]"/>
  </xsl:function>

  <!-- ============================================================================= dates -->
  <xsl:variable name="fp:months" as="xs:string+" select="('January', 'February', 'March', 'April', 'May',
    'June', 'July', 'August', 'September', 'October', 'November', 'December')"/>

  <!-- The edition's date style (#14): the model's (toolkit/tei/facts.py, DateStyle), which the
       context's edition element carries (date-* attributes); English without a context. -->
  <xsl:variable name="fp:date-style" as="map(*)" select="
    let $e := $edition-context/*[1]
    return if ($e/@date-day) then map{'day': string($e/@date-day), 'month': string($e/@date-month),
        'months': tokenize($e/@date-months, '\|'), 'alone': tokenize($e/@date-months-alone, '\|'),
        'bc': string($e/@date-bc)}
      else map{'day': '{d} {m} {y}', 'month': '{m} {y}', 'months': $fp:months, 'alone': $fp:months, 'bc': '{y} BC'}"/>

  <xsl:function name="fp:date-fill" as="xs:string">
    <xsl:param name="pattern" as="xs:string"/>
    <xsl:param name="d" as="xs:string"/>
    <xsl:param name="m" as="xs:string"/>
    <xsl:param name="y" as="xs:string"/>
    <xsl:sequence select="string-join(for $part in analyze-string($pattern, '\{[dmy]\}')/* return
      if ($part/self::*:match) then map{'{d}': $d, '{m}': $m, '{y}': $y}(string($part)) else string($part), '')"/>
  </xsl:function>

  <!-- "1937-06-14" → "14 June 1937"; "1945-07" → "July 1945"; "1935" → "1935" (a dateTime by its
       date, a year BCE as "44 BC"); anything else as given. toolkit/tei/facts.py, iso_label. -->
  <xsl:function name="f:date-label" as="xs:string">
    <xsl:param name="when" as="xs:string?"/>
    <xsl:sequence select="(fp:iso-label($when), replace(string($when), '^[ \t\r\n]+|[ \t\r\n]+$', ''))[1]"/>
  </xsl:function>

  <xsl:function name="fp:iso-label" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="v" select="replace(string($value), '^[ \t\r\n]+|[ \t\r\n]+$', '')"/>
    <xsl:if test="matches($v, '^-?\d{4,}(-\d{2}(-\d{2})?)?(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$')">
      <xsl:variable name="neg" select="starts-with($v, '-')"/>
      <xsl:variable name="parts" select="tokenize(substring-before(concat(replace($v, '^-', ''), 'T'), 'T'), '-')"/>
      <xsl:variable name="year" select="xs:integer($parts[1])"/>
      <xsl:variable name="month" select="$parts[2] ! xs:integer(.)"/>
      <xsl:variable name="day" select="$parts[3] ! xs:integer(.)"/>
      <xsl:variable name="y" select="if ($neg) then fp:date-fill($fp:date-style?bc, '', '', string($year)) else string($year)"/>
      <xsl:choose>
        <xsl:when test="exists($month) and not($month ge 1 and $month le 12)"/>
        <xsl:when test="exists($day) and not($day ge 1 and $day le fp:days(if ($neg) then -$year else $year, $month))"/>
        <xsl:when test="exists($day)"><xsl:sequence select="fp:date-fill($fp:date-style?day, string($day), $fp:date-style?months[$month], $y)"/></xsl:when>
        <xsl:when test="exists($month)"><xsl:sequence select="fp:date-fill($fp:date-style?month, '', $fp:date-style?alone[$month], $y)"/></xsl:when>
        <xsl:otherwise><xsl:sequence select="$y"/></xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:function>

  <xsl:function name="fp:days" as="xs:integer">
    <xsl:param name="year" as="xs:integer"/>
    <xsl:param name="month" as="xs:integer"/>
    <xsl:sequence select="if ($month = 2) then (if ($year mod 4 = 0 and ($year mod 100 != 0 or $year mod 400 = 0)) then 29 else 28)
      else if ($month = (4, 6, 9, 11)) then 30 else 31"/>
  </xsl:function>

  <!-- The display label of a <date>: its @when (or @when-iso) labelled; else @notBefore/@notAfter
       as a range ("1930–1935", "after 1930", "before 1935"), else @from/@to ("from 1930", "until
       1935"); else its text when that is an ISO date; else, a date that cannot be read, as
       written. toolkit/tei/facts.py, date_label (the model's label of a document's date). -->
  <xsl:function name="f:date-element-label" as="xs:string">
    <xsl:param name="d" as="element()"/>
    <xsl:variable name="text" select="normalize-space($d)"/>
    <xsl:variable name="when" select="fp:date-attr($d, 'when')"/>
    <xsl:variable name="ranges" select="(fp:date-range($d, 'notBefore', 'notAfter', f:msg('date.after'), f:msg('date.before')),
                                         fp:date-range($d, 'from', 'to', f:msg('date.from'), f:msg('date.until')))"/>
    <xsl:sequence select="if ($when != '') then (fp:iso-label($when), $text[. != ''], $when)[1]
      else if (exists($ranges)) then $ranges[1]
      else (fp:iso-label($text), $text)[1]"/>
  </xsl:function>

  <xsl:function name="fp:date-attr" as="xs:string">
    <xsl:param name="d" as="element()"/>
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="replace(string(($d/@*[local-name() = $name][normalize-space()], $d/@*[local-name() = concat($name, '-iso')])[1]),
                                  '^[ \t\r\n]+|[ \t\r\n]+$', '')"/>
  </xsl:function>

  <!-- a range's label ("1930–1935", "after 1930" …), the text when a bound is no ISO date, () when
       the date has neither bound -->
  <xsl:function name="fp:date-range" as="xs:string?">
    <xsl:param name="d" as="element()"/>
    <xsl:param name="lo" as="xs:string"/>
    <xsl:param name="hi" as="xs:string"/>
    <xsl:param name="after" as="xs:string"/>
    <xsl:param name="before" as="xs:string"/>
    <xsl:variable name="start" select="fp:date-attr($d, $lo)"/>
    <xsl:variable name="end" select="fp:date-attr($d, $hi)"/>
    <xsl:if test="$start != '' or $end != ''">
      <xsl:variable name="a" select="if ($start != '') then fp:iso-label($start) else ''"/>
      <xsl:variable name="b" select="if ($end != '') then fp:iso-label($end) else ''"/>
      <xsl:sequence select="if (empty($a) or empty($b)) then (normalize-space($d)[. != ''], string-join(($start, $end)[. != ''], '–'))[1]
        else if ($a != '' and $b != '') then (if ($a = $b) then $a else if (contains($a || $b, ' ')) then concat($a, ' – ', $b) else concat($a, '–', $b))
        else if ($a != '') then concat($after, ' ', $a) else concat($before, ' ', $b)"/>
    </xsl:if>
  </xsl:function>

  <!-- ====================================================================== reading text -->
  <!-- The reading text of nodes (each read as asked for itself: a note gives its own text),
       joined: the rule of toolkit/tei/reading.py (text_of), which docs/encoding.md states. -->
  <xsl:function name="f:reading-text" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:for-each select="$nodes">
        <xsl:if test="position() gt 1"><xsl:sequence select="' '"/></xsl:if>
        <xsl:apply-templates select="." mode="fp:reading">
          <xsl:with-param name="top" select="true()"/>
        </xsl:apply-templates>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="fp:finish(string-join($parts))"/>
  </xsl:function>

  <!-- a break between words (U+FDD0, a noncharacter), decided by fp:finish -->
  <xsl:variable name="fp:break" as="xs:string" select="'&#xFDD0;'"/>
  <!-- Breaks resolved (a space, or nothing between two characters of scripts written without
       spaces: f:spaceless-char, script.xsl), white space collapsed. -->
  <xsl:function name="fp:finish" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:variable name="joined" select="if (not(contains($text, $fp:break))) then $text else
      let $pieces := tokenize($text, '[ \t\r\n]*&#xFDD0;[ \t\r\n&#xFDD0;]*')
      return string-join(for $i in 1 to count($pieces) return (
        if ($i gt 1) then (if (matches($pieces[$i - 1], $f:spaceless-char || '$') and matches($pieces[$i], '^' || $f:spaceless-char))
                           then '' else ' ') else (),
        $pieces[$i]))"/>
    <xsl:sequence select="normalize-space($joined)"/>
  </xsl:function>

  <xsl:template match="text()" mode="fp:reading"><xsl:sequence select="string(.)"/></xsl:template>
  <xsl:template match="comment() | processing-instruction()" mode="fp:reading"/>
  <xsl:template match="document-node()" mode="fp:reading">
    <xsl:apply-templates mode="fp:reading"/>
  </xsl:template>

  <xsl:template match="*" mode="fp:reading">
    <xsl:param name="top" as="xs:boolean" select="false()"/>
    <xsl:variable name="name" select="local-name()"/>
    <xsl:choose>
      <xsl:when test="$name = $c:word-break">
        <xsl:sequence select="if ($name = 'space') then ' ' else if (@break = ('no', 'false')) then () else $fp:break"/>
      </xsl:when>
      <xsl:when test="not($top) and ($name = ($c:reading-skip, $c:not-rendered, 'teiHeader'))"/>
      <xsl:when test="$name = 'choice'">
        <xsl:apply-templates select="f:choice-reading(.)" mode="fp:reading">
          <xsl:with-param name="top" select="true()"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$name = 'app'">
        <xsl:apply-templates select="f:app-reading(.)" mode="fp:reading">
          <xsl:with-param name="top" select="true()"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$name = $c:target-as-text and exists(@target) and ($name = 'ptr' or (not(normalize-space(.)) and empty(*)))">
        <!-- a pointer without content shows its target (names.xsl, fp:target-label) -->
        <xsl:sequence select="normalize-space(replace(string(@target), '[\p{Cc}]', ''))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="block" select="not($top) and ($name = $c:block-break or ($name = 'seg' and fp:seg-is-line(.)))"/>
        <xsl:if test="$block"><xsl:sequence select="' '"/></xsl:if>
        <xsl:apply-templates mode="fp:reading"/>
        <xsl:if test="$block"><xsl:sequence select="' '"/></xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- a seg that is a line of its own: in an opener or closer, a letterhead, a letterhead's seg
       (structure.xsl lays them out as lines) -->
  <xsl:function name="fp:seg-is-line" as="xs:boolean">
    <xsl:param name="seg" as="element()"/>
    <xsl:sequence select="$seg/@type = 'letterhead' or local-name($seg/..) = ('opener', 'closer') or $seg/../@type = 'letterhead'"/>
  </xsl:function>

  <!-- The alternative of a choice that is its reading: reg, corr or expan, else the first (of two
       unclear or seg, the first). toolkit/tei/reading.py, choice_reading. -->
  <xsl:function name="f:choice-reading" as="element()?">
    <xsl:param name="choice" as="element()"/>
    <xsl:sequence select="($choice/*[local-name() = ('reg', 'corr', 'expan')], $choice/*)[1]"/>
  </xsl:function>

  <!-- The reading an apparatus shows in the text: its own lem, else its first own rdg (those in
       an rdgGrp are its own, those of an app inside it are not). toolkit/tei/reading.py,
       app_reading. -->
  <xsl:function name="f:app-reading" as="element()?">
    <xsl:param name="app" as="element()"/>
    <xsl:variable name="own" select="fp:app-readings($app)"/>
    <xsl:sequence select="($own[local-name() = 'lem'], $own[local-name() = 'rdg'])[1]"/>
  </xsl:function>

  <!-- an app's own readings (lem and rdg, also inside rdgGrp), in document order -->
  <xsl:function name="fp:app-readings" as="element()*">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="$e/*[local-name() = ('lem', 'rdg')] | $e/*[local-name() = 'rdgGrp']/fp:app-readings(.)"/>
  </xsl:function>
</xsl:stylesheet>
