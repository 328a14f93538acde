<?xml version="1.0" encoding="UTF-8"?>
<!--
  The critical apparatus, one rule for both outputs (HTML: html/text/transcription.xsl and
  notes.xsl; PDF: pdf/text.xsl): which readings an app has besides its lemma, which of them is an
  omission, their witnesses' sigla, the witDetail that belongs to each, and where an apparatus
  entry or a note attached elsewhere is shown.

  Attached elsewhere: an app with @from/@to (double end-point attachment) or @loc (location
  referenced), a note with @target/@targetEnd, whose end point is an element of the document's
  text (an anchor, a word, a line … by its xml:id; @loc also an anchor's @n) that neither holds
  it nor lies inside it. It is shown right after that element, as a note (a numbered marker in
  the text); where it stands (a listApp in the back, a noteGrp, the standOff) it shows nothing,
  so nothing is duplicated. Marginal notes stay beside the text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  exclude-result-prefixes="#all">

  <!-- ======================================================================== readings -->
  <!-- An app's lemma: the reading shown in the text (f:app-reading: its lem, else its first rdg);
       for an app attached elsewhere, whose lemma is the base text between its anchors, only its
       own lem. -->
  <xsl:function name="f:app-lemma" as="element()?">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="if (f:attached-elsewhere($app)) then fp:app-readings($app)[self::tei:lem][1] else f:app-reading($app)"/>
  </xsl:function>

  <!-- The readings of an app other than its lemma, in document order (those of an rdgGrp too). -->
  <xsl:function name="f:app-variants" as="element()*">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="fp:app-readings($app) except f:app-lemma($app)"/>
  </xsl:function>

  <!-- Whether a reading is an omission (no text, no element: "om." in both outputs). -->
  <xsl:function name="f:reading-omitted" as="xs:boolean">
    <xsl:param name="rdg" as="element()"/>
    <xsl:sequence select="not(normalize-space($rdg) or $rdg/*)"/>
  </xsl:function>

  <!-- The witDetail elements of a reading: those inside it, and those of its app that point at it
       (@target naming its xml:id) or, without @target, share a witness with it (@wit). -->
  <xsl:function name="f:reading-details" as="element()*">
    <xsl:param name="rdg" as="element()"/>
    <xsl:variable name="app" select="$rdg/ancestor::tei:app[1]"/>
    <xsl:variable name="wits" select="fp:tokens($rdg/@wit)"/>
    <xsl:sequence select="$rdg//tei:witDetail | $app//tei:witDetail[not(ancestor::tei:rdg or ancestor::tei:lem)][ancestor::tei:app[1] is $app][
      if (normalize-space(@target)) then (fp:tokens(@target) ! replace(., '^.*#', '')) = string($rdg/@xml:id)
      else fp:tokens(@wit) = $wits]"/>
  </xsl:function>

  <!-- The witDetail elements of an app that belong to none of its variants (the lemma's, or
       ones that match no reading): shown after the readings, never lost. -->
  <xsl:function name="f:app-other-details" as="element()*">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="$app//tei:witDetail[ancestor::tei:app[1] is $app][not(ancestor::tei:rdg or ancestor::tei:lem)]
      except f:app-variants($app)/f:reading-details(.)"/>
  </xsl:function>

  <!-- The sigla of a reading's witnesses (@wit), in order. -->
  <xsl:function name="f:reading-sigla" as="xs:string*">
    <xsl:param name="rdg" as="element()"/>
    <xsl:sequence select="for $t in fp:tokens($rdg/@wit) return fp:witness-siglum($t, $rdg)"/>
  </xsl:function>

  <xsl:function name="fp:tokens" as="xs:string*">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="tokenize(normalize-space($s), ' ')[. != '']"/>
  </xsl:function>

  <!-- The witness a pointer of @wit names in the same document's listWit. -->
  <xsl:key name="fp:witness-id" match="tei:witness[@xml:id]" use="string(@xml:id)"/>
  <xsl:function name="fp:witness" as="element()?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="from" as="element()"/>
    <xsl:variable name="id" select="substring-after($token, '#')"/>
    <xsl:sequence select="if (starts-with($token, '#') and $id castable as xs:NCName and root($from) instance of document-node())
      then key('fp:witness-id', $id, root($from))[1] else ()"/>
  </xsl:function>

  <!-- A witness's siglum: the resolved witness's @n, its abbr/idno/label of type siglum, or its
       text when that is short; else the pointer without its "#" (as text, never markup). -->
  <xsl:function name="fp:witness-siglum" as="xs:string">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="from" as="element()"/>
    <xsl:sequence select="(fp:own-siglum(fp:witness($token, $from)), replace($token, '^.*#', '')[. != ''], $token)[1]"/>
  </xsl:function>

  <!-- The siglum a witness gives itself: @n, its abbr/idno/label of type siglum, or its text when
       that is short. -->
  <xsl:function name="fp:own-siglum" as="xs:string?">
    <xsl:param name="w" as="element()?"/>
    <xsl:variable name="text" select="normalize-space($w)"/>
    <xsl:sequence select="(normalize-space($w/@n)[. != ''],
      normalize-space(($w/tei:abbr, $w/tei:idno, $w/tei:label)[@type = 'siglum'][1])[. != ''],
      $text[. != '' and string-length(.) le 12])[1]"/>
  </xsl:function>

  <!-- ===================================================================== attachments -->
  <xsl:key name="fp:attached" match="tei:app[@from or @to or @loc] | tei:note[@target or @targetEnd]"
    use="fp:end-point-ids(.)"/>
  <xsl:key name="fp:anchor-n" match="tei:anchor[@n]" use="normalize-space(@n)"/>

  <!-- the ids an app or note names as the point it is shown at: the end of its span -->
  <xsl:function name="fp:end-point-ids" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="end" select="if ($e/self::tei:app) then ($e/@to, $e/@from, $e/@loc)[normalize-space()][1]
      else ($e/@targetEnd, $e/@target)[normalize-space()][1]"/>
    <xsl:sequence select="fp:tokens($end)[last()] ! replace(., '^#', '')"/>
  </xsl:function>

  <!-- The anchor an app or note is shown at (the rule above), or () when it stays where it is. -->
  <xsl:function name="f:attachment-point" as="element()?">
    <xsl:param name="e" as="element()"/>
    <xsl:if test="($e/self::tei:app[@from or @to or @loc] or $e/self::tei:note[@target or @targetEnd][not(f:is-marginal(.))])
                  and root($e) instance of document-node()">
      <xsl:variable name="id" select="fp:end-point-ids($e)"/>
      <xsl:variable name="point" select="(if ($id castable as xs:NCName) then id($id, root($e)) else (),
        if ($e/self::tei:app and $e/@loc and not($e/@from or $e/@to)) then key('fp:anchor-n', $id, root($e)) else ())[1]"/>
      <xsl:sequence select="$point[ancestor::tei:text][not(ancestor-or-self::* intersect $e)][not($e/ancestor::* intersect .)]"/>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:attached-elsewhere" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists(f:attachment-point($e))"/>
  </xsl:function>

  <!-- The apps and notes shown after an element (an anchor …), in document order. -->
  <xsl:function name="f:attached-here" as="element()*">
    <xsl:param name="anchor" as="element()"/>
    <xsl:if test="root($anchor) instance of document-node() and ($anchor/@xml:id or $anchor/@n)">
      <xsl:sequence select="(key('fp:attached', string($anchor/@xml:id), root($anchor))
        | key('fp:attached', normalize-space($anchor/@n), root($anchor)))[f:attachment-point(.) is $anchor]"/>
    </xsl:if>
  </xsl:function>

  <!-- The elements of a document that apps or notes are shown after, in document order. -->
  <xsl:function name="f:attachment-points" as="element()*">
    <xsl:param name="doc" as="node()?"/>
    <xsl:sequence select="$doc//(tei:app[@from or @to or @loc] | tei:note[@target or @targetEnd])/f:attachment-point(.)"/>
  </xsl:function>

  <!-- The words of the base text an app attached by @from/@to spans (its lemma when it has no
       lem of its own): the text from the start of its @from to the end of its end point (between
       two anchors; a word's own text), notes and readings left out. -->
  <xsl:function name="f:spanned-text" as="xs:string">
    <xsl:param name="app" as="element()"/>
    <xsl:variable name="from" select="for $i in fp:tokens($app/@from)[1] ! replace(., '^#', '')
      return if ($i castable as xs:NCName and root($app) instance of document-node()) then id($i, root($app)) else ()"/>
    <xsl:variable name="to" select="f:attachment-point($app)"/>
    <xsl:sequence select="if (exists($from) and exists($to) and not($to &lt;&lt; $from))
      then normalize-space(string-join(($from/descendant::text() | $from/following::text()[. &lt;&lt; $to] | $to/descendant::text())
                                       [not(ancestor::tei:note or ancestor::tei:rdg)], ''))
      else ''"/>
  </xsl:function>
</xsl:stylesheet>
