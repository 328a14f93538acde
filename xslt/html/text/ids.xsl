<?xml version="1.0" encoding="UTF-8"?>
<!--
  Stable ids for citable passages (see docs/html.md, "Stable ids").
  An element keeps its @xml:id; otherwise a citable element of the text gets "<name>-<n>", n counting
  the elements of that name inside tei:text in document order (p-1, p-2, note-1, div-3 …).
  toolkit/build/html.py computes the same ids (CITABLE there) to link passages from entity pages.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <!-- One map per node: element name → how many of that name so far (inside tei:text). -->
  <xsl:accumulator name="fp:counts" as="map(xs:string, xs:integer)" initial-value="map{}">
    <!-- footnote-style notes also count under '#fn', the running number of their labels; verse
         lines keep their number's state (fp:count-line) -->
    <xsl:accumulator-rule match="tei:text//tei:*[local-name() = $c:citable]"
      select="let $v := map:put($value, local-name(), (($value(local-name()), 0)[1]) + 1)
              return if (self::tei:note and not(f:is-marginal(.)) and not(f:attached-elsewhere(.)))
                     then map:put($v, '#fn', (($v('#fn'), 0)[1]) + 1)
                     else if (self::tei:l) then fp:count-line($v, .) else $v"/>
    <!-- the notes and apps shown after an element (lib/apparatus.xsl) count at its end -->
    <xsl:accumulator-rule match="tei:text//tei:*[@xml:id or self::tei:anchor[@n]]" phase="end"
      select="let $k := count(f:attached-here(.))
              return if ($k = 0) then $value else map:put($value, '#fn', (($value('#fn'), 0)[1]) + $k)"/>
  </xsl:accumulator>

  <!-- A verse line's id is "l-" + its number, so that a citation of line 1234 is #l-1234: its
       @n (characters other than ASCII letters, digits, ".", "_", "-" as "_"); a line without @n
       is numbered on from the last integer line number before it (from 1 at the start of the
       text), a second or later part of a split line (part="M" or "F") keeps the number of the
       line it continues; the second line with the same number (poems restarting at 1, split
       lines) gets "-2", the third "-3" … Keys: '#l-last' the last integer number, 'l#N' how many
       lines had number N. toolkit/outputs/html.py, cite_ids. -->
  <xsl:function name="fp:count-line" as="map(xs:string, xs:integer)">
    <xsl:param name="v" as="map(xs:string, xs:integer)"/>
    <xsl:param name="l" as="element()"/>
    <xsl:variable name="n" select="normalize-space($l/@n)"/>
    <xsl:variable name="last" select="($v('#l-last'), 0)[1]"/>
    <xsl:variable name="continued" select="$n = '' and normalize-space($l/@part) = ('M', 'F') and map:contains($v, '#l-last')"/>
    <xsl:variable name="new-last" select="if ($n castable as xs:integer) then xs:integer($n) else if ($n = '' and not($continued)) then $last + 1 else $last"/>
    <xsl:variable name="token" select="fp:line-token(if ($n != '') then $n else string($new-last))"/>
    <xsl:sequence select="map:put(map:put($v, '#l-last', $new-last), 'l#' || $token, ($v('l#' || $token), 0)[1] + 1)"/>
  </xsl:function>

  <xsl:function name="fp:line-token" as="xs:string">
    <xsl:param name="number" as="xs:string"/>
    <xsl:sequence select="replace($number, '[^A-Za-z0-9._\-]+', '_')"/>
  </xsl:function>

  <!-- a verse line's id from the state after it (fp:count-line) -->
  <xsl:function name="fp:line-id" as="xs:string">
    <xsl:param name="l" as="element()"/>
    <xsl:variable name="v" select="$l/accumulator-before('fp:counts')"/>
    <xsl:variable name="n" select="normalize-space($l/@n)"/>
    <xsl:variable name="token" select="fp:line-token(if ($n != '') then $n else string($v('#l-last')))"/>
    <xsl:variable name="occ" select="$v('l#' || $token)"/>
    <xsl:sequence select="'l-' || $token || (if ($occ gt 1) then '-' || $occ else '')"/>
  </xsl:function>

  <!-- The HTML id of a TEI xml:id: itself, unless it is one of the page's own ids, starts with a
       prefix the page uses for its own ids ("wit-", "pop-") or with "tei-", or is no valid HTML id
       (empty, with white space): then "tei-" + it (white space as "_"). One-to-one, so two
       xml:ids never share an HTML id; toolkit/build/html.py (page_id) has the same rule. -->
  <!-- The xml:ids of the page's document that look like generated ids (name-number), as page
       ids: computed once per page (usually none), so that f:cite-id stays a cheap test. -->
  <xsl:variable name="fp:generated-like-ids" as="xs:string*"
    select="if (. instance of node()) then distinct-values(//@xml:id[matches(., '^[a-zA-Z]+-\d+$') or starts-with(., 'l-')]/f:html-id(string(.))) else ()"/>

  <xsl:function name="f:html-id" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if ($id = $c:reserved-page-ids or matches($id, '^(wit|pop|tei)-') or not(matches($id, '^\S+$')))
      then concat('tei-', replace($id, '\s', '_')) else $id"/>
  </xsl:function>

  <!-- The id of a rendered element: its xml:id (f:html-id), or the generated one for citable elements. -->
  <xsl:function name="f:cite-id" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:choose>
      <xsl:when test="$e/@xml:id"><xsl:sequence select="f:html-id(string($e/@xml:id))"/></xsl:when>
      <xsl:when test="$e/self::tei:* and local-name($e) = $c:citable and $e/ancestor::tei:text">
        <!-- a generated id that an element's own xml:id already gives on the page gets "-n"
             (toolkit/build/html.py, cite_ids, the same) -->
        <xsl:variable name="gen" select="if ($e/self::tei:l) then fp:line-id($e)
          else concat(local-name($e), '-', $e/accumulator-before('fp:counts')(local-name($e)))"/>
        <xsl:sequence select="if ($gen = $fp:generated-like-ids) then concat($gen, '-n') else $gen"/>
      </xsl:when>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="f:footnote-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="($note/accumulator-before('fp:counts')('#fn'), 0)[1]"/>
  </xsl:function>

</xsl:stylesheet>
